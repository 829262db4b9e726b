package dev.adjoint.maven;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SurefireCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"2.12.4", "2.19.1", "2.21.0", "2.22.0-SNAPSHOT", "2.9"})
    void versionsBefore2_22_0CannotRunJupiterTests(String version) {
        assertNotNull(SurefireCheck.judge(version).error(), version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.22.0", "2.22.2", "3.0.0-M4"})
    void versionsFrom2_22_0RunThemWithAWarningBefore3(String version) {
        SurefireCheck.Verdict v = SurefireCheck.judge(version);
        assertNull(v.error(), version);
        assertNotNull(v.warning(), version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.0.0", "3.5.4", "3.6.0", "4.0.0-beta-1"})
    void versionsFrom3RunThemSilently(String version) {
        SurefireCheck.Verdict v = SurefireCheck.judge(version);
        assertNull(v.error(), version);
        assertNull(v.warning(), version);
    }
}
