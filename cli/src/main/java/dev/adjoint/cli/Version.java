package dev.adjoint.cli;

import dev.adjoint.runtime.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version shown by {@code adjoint --version} and {@code -V} (also after a command: {@code adjoint train -V}): the
 * project version Maven wrote into {@code version.properties} when it built the command line, then the JVM and the
 * kernel implementation it runs.
 */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"adjoint " + version(),
            "java " + System.getProperty("java.version") + ", kernels: " + Kernels.implementation()};
    }

    /** The project version, such as {@code 0.1.0-SNAPSHOT}, or {@code (unknown version)} when not built by Maven. */
    static String version() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: a missing version is not worth failing a command for
        }
        return "(unknown version)";
    }
}
