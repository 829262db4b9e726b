package dev.adjoint.runtime.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes one file again and again with {@link AtomicFiles#write(Path, byte[])}, on a thread of its own,
 * so that the caller does not wait for the disk: a training loop hands over each epoch's checkpoint and
 * goes on while the bytes are written and forced to disk (forcing 400 KB took 3 ms an epoch here, a
 * tenth of a small network's training).
 *
 * <p>The latest bytes win: bytes handed over while an earlier write is still running replace any
 * bytes still waiting, so at most one write runs and one waits. Every write is atomic, so the file is
 * always some whole version that was handed over. {@link #await()} waits until the last bytes handed
 * over are on disk. A failed write is thrown, as the {@link IOException}, from the next
 * {@link #submit} or {@link #await()}; nothing more is written after it.
 *
 * <p>The thread is a daemon, started with the first write and stopped by {@link #close()}. If the
 * JVM stops while a write runs, {@link AtomicFiles}' shutdown hook removes its temporary file and the
 * file keeps its previous version.
 */
public final class BackgroundWriter implements AutoCloseable {
  private final Path target;
  private final Object lock = new Object();
  private byte[] waiting;
  private boolean writing;
  private boolean closed;
  private IOException failure;
  private int written;
  private Thread thread;

  /** A writer of {@code target}; its parent directory must exist when a write runs. */
  public BackgroundWriter(Path target) {
    this.target = Objects.requireNonNull(target, "target");
  }

  /**
   * Hands over the file's next contents and returns at once; {@code bytes} must not change
   * afterwards.
   *
   * @throws IOException the failure of an earlier write (these bytes are then not written)
   * @throws IllegalStateException after {@link #close()}
   */
  public void submit(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the writer of " + target + " is closed");
      }
      throwFailure();
      waiting = bytes;
      if (thread == null) {
        thread = new Thread(this::run, "adjoint-writer-" + target.getFileName());
        thread.setDaemon(true);
        thread.start();
      }
      lock.notifyAll();
    }
  }

  /**
   * Waits until every write handed over has finished.
   *
   * @throws IOException if a write failed
   * @throws InterruptedIOException if this thread is interrupted while waiting (its interrupt status
   *     is set again)
   */
  public void await() throws IOException {
    synchronized (lock) {
      while (waiting != null || writing) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while " + target + " was being written");
        }
      }
      throwFailure();
    }
  }

  /** How many writes have finished so far. */
  public int written() {
    synchronized (lock) {
      return written;
    }
  }

  /** Waits for the writes handed over (see {@link #await()}), then stops the thread. */
  @Override
  public void close() throws IOException {
    try {
      await();
    } finally {
      synchronized (lock) {
        closed = true;
        lock.notifyAll();
      }
    }
  }

  private void throwFailure() throws IOException {
    if (failure != null) {
      throw failure; // as the write threw it, so that callers see its type and message
    }
  }

  private void run() {
    while (true) {
      byte[] bytes;
      synchronized (lock) {
        while (waiting == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return; // only a JVM shutting down interrupts this thread
          }
        }
        if (waiting == null) {
          return; // closed, nothing left
        }
        bytes = waiting;
        waiting = null;
        writing = true;
      }
      IOException failed = null;
      try {
        AtomicFiles.write(target, bytes);
      } catch (IOException e) {
        failed = e;
      } catch (RuntimeException e) {
        failed = new IOException(target + ": " + e, e);
      }
      synchronized (lock) {
        writing = false;
        if (failed != null) {
          failure = failed;
          waiting = null; // nothing more is written after a failure
        } else {
          written++;
        }
        lock.notifyAll();
        if (failed != null) {
          return;
        }
      }
    }
  }
}
