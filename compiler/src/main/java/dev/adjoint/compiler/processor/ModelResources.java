package dev.adjoint.compiler.processor;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/** Finds a {@code .model} file for the processor: class output, then source path, then class path. */
final class ModelResources {
    /** Where to look, in order: resources copied to the class output, then sources, then dependencies. */
    static final List<JavaFileManager.Location> LOCATIONS = List.of(StandardLocation.CLASS_OUTPUT,
            StandardLocation.SOURCE_PATH, StandardLocation.CLASS_PATH);

    private ModelResources() {
    }

    /** A model file that was found: its name relative to a root ({@code com/acme/digits.model}) and bytes. */
    record Found(String name, byte[] bytes) {
    }

    /**
     * The root-relative name a {@code file} value refers to: {@code /x/y.model} is {@code x/y.model}; anything
     * else is relative to {@code packageName}.
     */
    static String resolve(String file, String packageName) {
        if (file.startsWith("/")) {
            return file.substring(1);
        }
        return packageName.isEmpty() ? file : packageName.replace('.', '/') + "/" + file;
    }

    /** The file, or null if no location has it. */
    static Found find(Filer filer, String name) {
        int slash = name.lastIndexOf('/');
        String pkg = slash < 0 ? "" : name.substring(0, slash).replace('/', '.');
        String relative = name.substring(slash + 1);
        for (JavaFileManager.Location location : LOCATIONS) {
            byte[] bytes = read(filer, location, pkg, relative);
            if (bytes != null) {
                return new Found(name, bytes);
            }
        }
        return null;
    }

    /** The bytes at one location, or null: a missing file shows up as an exception, not as null. */
    private static byte[] read(Filer filer, JavaFileManager.Location location, String pkg, String relative) {
        try {
            FileObject file = filer.getResource(location, pkg, relative);
            try (InputStream in = file.openInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            return null; // not at this location (or the location does not exist in this compilation)
        }
    }
}
