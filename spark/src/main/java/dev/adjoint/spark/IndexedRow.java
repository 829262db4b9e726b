package dev.adjoint.spark;

import java.io.Serializable;

/**
 * One row read from the input {@code Dataset}: its number in the data set (from 0, in the
 * Dataset's order), its features and its label.
 */
record IndexedRow(int index, double[] features, int label) implements Serializable {}
