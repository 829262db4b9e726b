package dev.adjoint.maven;

import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Whether the project's Surefire can run the generated gradient tests, which are JUnit Jupiter (JUnit 5 and later)
 * tests. Surefire runs them from 2.22.0 on; older versions, including 2.12.4, the version Maven 3.8.x uses when a
 * project does not pin Surefire, find no test and report success, so the generated tests would silently not run.
 * From 3.0.0 Surefire also aligns its JUnit Platform launcher with the project's JUnit, which JUnit 6 needs.
 */
final class SurefireCheck {
    /** The first Surefire that runs JUnit Platform tests. */
    static final String FIRST_WITH_JUNIT_PLATFORM = "2.22.0";
    /** The first Surefire that aligns its launcher with the project's JUnit (JUnit's own recommendation). */
    static final String RECOMMENDED = "3.0.0";

    private SurefireCheck() {
    }

    /** The verdict: an error that must fail the build, a warning, or nothing ({@code null} both). */
    record Verdict(String error, String warning) {
    }

    /**
     * Judges the Surefire version the project will run.
     *
     * @param version the version of {@code maven-surefire-plugin} in the project's effective build, or null when the
     *                project has none (a packaging without tests)
     */
    static Verdict judge(String version) {
        if (version == null || version.isBlank()) {
            return new Verdict(null, "Adjoint: generateTests is on, but the project runs no maven-surefire-plugin,"
                    + " so the generated gradient tests will not run");
        }
        ComparableVersion v = new ComparableVersion(version.strip());
        if (v.compareTo(new ComparableVersion(FIRST_WITH_JUNIT_PLATFORM)) < 0) {
            return new Verdict("Adjoint: generateTests is on, but this project runs maven-surefire-plugin " + version
                    + ", which cannot run JUnit 5 or later tests: it would find none of the generated gradient tests"
                    + " and report success. Maven 3.8.x uses Surefire 2.12.4 unless the project pins another. Pin"
                    + " Surefire " + RECOMMENDED + " or later in the project's <build><plugins> (or pluginManagement):"
                    + " <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin"
                    + "</artifactId><version>3.6.0</version></plugin>; or turn generateTests off", null);
        }
        if (v.compareTo(new ComparableVersion(RECOMMENDED)) < 0) {
            return new Verdict(null, "Adjoint: maven-surefire-plugin " + version + " runs JUnit 5 tests with its own"
                    + " JUnit Platform launcher, which may not match the project's JUnit (JUnit 6 needs Surefire "
                    + RECOMMENDED + " or later); consider pinning Surefire 3.6.0");
        }
        return new Verdict(null, null);
    }
}
