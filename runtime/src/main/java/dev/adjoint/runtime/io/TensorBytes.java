package dev.adjoint.runtime.io;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Shapes;
import dev.adjoint.runtime.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Little-endian tensor data, moved through a fixed 64 KiB buffer so that no tensor is copied whole. */
final class TensorBytes {
  private static final int CHUNK = 1 << 16; // a multiple of every element size

  private TensorBytes() {}

  /** Random-access bytes: a file or an array. */
  interface Source {
    long size() throws IOException;

    /** Fills {@code dst} from its position to its limit with the bytes starting at {@code position}. */
    void readFully(long position, ByteBuffer dst) throws IOException;
  }

  record ChannelSource(FileChannel channel) implements Source {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      long p = position;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, p);
        if (n < 0) {
          throw new EOFException("file ended at byte " + p);
        }
        p += n;
      }
    }
  }

  record ArraySource(byte[] bytes) implements Source {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public void readFully(long position, ByteBuffer dst) {
      dst.put(bytes, (int) position, dst.remaining());
    }
  }

  /** Reads a tensor whose data starts at {@code position}; the caller has checked the range. */
  static Tensor read(Source source, long position, ElementType type, int[] shape) throws IOException {
    int n = Shapes.size(shape);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    int width = type == ElementType.F64 ? 8 : 4;
    int perChunk = CHUNK / width;
    float[] f = type == ElementType.F32 ? new float[n] : null;
    double[] d = type == ElementType.F64 ? new double[n] : null;
    int[] i = type == ElementType.I32 ? new int[n] : null;
    long p = position;
    for (int done = 0; done < n; ) {
      int count = Math.min(perChunk, n - done);
      chunk.clear().limit(count * width);
      source.readFully(p, chunk);
      chunk.flip();
      if (f != null) {
        chunk.asFloatBuffer().get(f, done, count);
      } else if (d != null) {
        chunk.asDoubleBuffer().get(d, done, count);
      } else {
        chunk.asIntBuffer().get(i, done, count);
      }
      done += count;
      p += (long) count * width;
    }
    if (f != null) {
      return FloatTensor.wrap(f, shape);
    } else if (d != null) {
      return DoubleTensor.wrap(d, shape);
    }
    return IntTensor.wrap(i, shape);
  }

  /** Appends tensors' elements to a stream. */
  static final class Writer {
    private final OutputStream out;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    Writer(OutputStream out) {
      this.out = out;
    }

    /**
     * Appends the tensor's elements, a chunk at a time through the buffer's typed views: bulk copies of
     * the raw bits (NaN payloads kept), fast even before the JIT compiles this code, which a checkpoint
     * written once an epoch otherwise runs in (an element at a time, it cost the convolutional sample 3 ms
     * an epoch).
     */
    void write(Tensor t) throws IOException {
      if (t instanceof FloatTensor ft) {
        float[] a = ft.data();
        copy(a.length, 4, (from, count) -> chunk.asFloatBuffer().put(a, from, count));
      } else if (t instanceof DoubleTensor dt) {
        double[] a = dt.data();
        copy(a.length, 8, (from, count) -> chunk.asDoubleBuffer().put(a, from, count));
      } else if (t instanceof IntTensor it) {
        int[] a = it.data();
        copy(a.length, 4, (from, count) -> chunk.asIntBuffer().put(a, from, count));
      }
    }

    /** Puts a run of elements at the buffer's position through one of its typed views. */
    private interface Run {
      void put(int from, int count);
    }

    /** Moves {@code n} elements of {@code width} bytes into the buffer a run at a time, flushing it when full. */
    private void copy(int n, int width, Run run) throws IOException {
      for (int done = 0; done < n; ) {
        int count = Math.min(room(width) / width, n - done);
        run.put(done, count);
        chunk.position(chunk.position() + count * width);
        done += count;
      }
    }

    void flush() throws IOException {
      out.write(chunk.array(), 0, chunk.position());
      chunk.clear();
    }

    /** The bytes left in the buffer, after flushing it if fewer than {@code bytes} are. */
    private int room(int bytes) throws IOException {
      if (chunk.remaining() < bytes) {
        flush();
      }
      return chunk.remaining();
    }
  }
}
