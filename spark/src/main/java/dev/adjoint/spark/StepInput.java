package dev.adjoint.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts for one step: the step, the parameter values (a float[] or double[] per
 * parameter, in declaration order) and the data-set row numbers of the global batch, in batch order.
 */
record StepInput(long step, Object[] parameters, int[] rows) implements Serializable {}
