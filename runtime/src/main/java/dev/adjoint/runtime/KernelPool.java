package dev.adjoint.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads for large kernels: {@link #run} splits one operation into parts, runs
 * part 0 on the calling thread and the others on the workers, and returns when all are done. Workers
 * are daemon threads that park between operations. One operation at a time: a call that finds the
 * pool busy (another thread's operation, or a kernel called from inside a part) runs all its parts
 * on the calling thread, so results never depend on who ran which part.
 *
 * <p>An operation on the pool allocates one small task object; with one thread there is no pool.
 */
final class KernelPool {
  /** Spins of a waiting thread before it parks; short, since the machine may be shared. */
  private static final int SPINS = 2_000;

  private final Worker[] workers;
  private final ReentrantLock busy = new ReentrantLock();
  private volatile Task task;
  private volatile boolean closed;

  /** One operation: what to run, in how many parts, and how many parts the workers still owe. */
  private static final class Task extends AtomicInteger {
    private static final long serialVersionUID = 1;
    final transient IntConsumer body;
    final int parts;
    final transient Thread caller = Thread.currentThread();
    volatile transient Throwable failure;

    Task(IntConsumer body, int parts) {
      super(parts - 1);
      this.body = body;
      this.parts = parts;
    }
  }

  /** A pool that runs up to {@code threads} parts at once: the caller and {@code threads - 1} workers. */
  KernelPool(int threads) {
    workers = new Worker[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i + 1);
      workers[i].start();
    }
  }

  /** How many parts run at once. */
  int threads() {
    return workers.length + 1;
  }

  /** Runs {@code body.accept(part)} for every {@code part < parts} ({@code parts <= threads()}). */
  void run(int parts, IntConsumer body) {
    if (parts <= 1 || closed || Thread.currentThread() instanceof Worker || !busy.tryLock()) {
      for (int p = 0; p < parts; p++) {
        body.accept(p);
      }
      return;
    }
    try {
      Task t = new Task(body, parts);
      task = t;
      for (int w = 0; w < parts - 1; w++) {
        LockSupport.unpark(workers[w]);
      }
      body.accept(0);
      for (int spin = 0; t.get() > 0; spin++) {
        if (spin < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      Throwable f = t.failure;
      if (f instanceof RuntimeException e) {
        throw e;
      }
      if (f instanceof Error e) {
        throw e;
      }
    } finally {
      task = null;
      busy.unlock();
    }
  }

  /** Stops the workers once they are idle. */
  void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  private final class Worker extends Thread {
    private final int part;

    Worker(int part) {
      super("adjoint-kernels-" + part);
      this.part = part;
      setDaemon(true);
    }

    @Override
    public void run() {
      Task done = null;
      while (!closed) {
        Task t = task;
        if (t == null || t == done || part >= t.parts) {
          for (int spin = 0; spin < SPINS && task == t && !closed; spin++) {
            Thread.onSpinWait();
          }
          if (task == t && !closed) {
            LockSupport.park(KernelPool.this);
          }
          continue;
        }
        done = t;
        try {
          t.body.accept(part);
        } catch (Throwable e) {
          t.failure = e;
        }
        if (t.decrementAndGet() == 0) {
          LockSupport.unpark(t.caller);
        }
      }
    }
  }
}
