/**
 * Files in and out of the runtime, with nothing but the JDK.
 *
 * <ul>
 *   <li>{@link dev.adjoint.runtime.io.Safetensors}: parameters to and from the safetensors format
 *       ({@code F32}, {@code F64}, {@code I32}), written atomically and read with full validation.
 *   <li>{@link dev.adjoint.runtime.io.CsvData} with {@link dev.adjoint.runtime.io.CsvOptions}:
 *       numeric CSV (optionally gzip-compressed) into feature and label tensors, held-out splits,
 *       and seeded mini-{@link dev.adjoint.runtime.io.Batches} (whose shuffle is a
 *       {@link dev.adjoint.runtime.io.RowOrder}, usable without the data); bad content is a
 *       {@link dev.adjoint.runtime.io.CsvFormatException} with file, line and column.
 * </ul>
 */
package dev.adjoint.runtime.io;
