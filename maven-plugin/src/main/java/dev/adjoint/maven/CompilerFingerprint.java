package dev.adjoint.maven;

import dev.adjoint.compiler.Compiler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Identifies the build of the compiler the plugin runs with, for the generator stamp. */
public final class CompilerFingerprint {
    private CompilerFingerprint() {
    }

    /**
     * A fingerprint of the compiler on the class path: the SHA-256 of its jar (builds of one SNAPSHOT version
     * differ in it), or "classes" when it is loaded from a directory.
     */
    public static String of() {
        try {
            CodeSource code = Compiler.class.getProtectionDomain().getCodeSource();
            Path location = code == null ? null : Path.of(code.getLocation().toURI());
            if (location == null || !Files.isRegularFile(location)) {
                return "classes";
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(location)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (IOException | NoSuchAlgorithmException | URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }
}
