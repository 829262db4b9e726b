package dev.adjoint.spark;

import java.io.Serializable;

/**
 * Called on the executor at the start of every training and evaluation task; the tests use it to make
 * a task fail on its first attempt. The default does nothing.
 */
interface TaskHook extends Serializable {
  TaskHook NONE = (what, step, partition) -> {};

  /**
   * @param what {@code "step"} or {@code "evaluate"}
   * @param step the global step (from 1), or the epoch for an evaluation
   * @param partition the partition the task computes
   */
  void beforeTask(String what, long step, int partition);
}
