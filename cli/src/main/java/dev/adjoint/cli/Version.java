package dev.adjoint.cli;

import dev.adjoint.runtime.Kernels;
import picocli.CommandLine;

/** The version shown by {@code adjoint --version}, with the JVM and the kernel implementation it runs. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"adjoint " + (v == null ? "(development build)" : v),
            "java " + System.getProperty("java.version") + ", kernels: " + Kernels.implementation()};
    }
}
