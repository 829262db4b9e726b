package dev.adjoint.cli;

import picocli.CommandLine;

/** The version shown by {@code adjoint --version}. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"adjoint " + (v == null ? "(development build)" : v)};
    }
}
