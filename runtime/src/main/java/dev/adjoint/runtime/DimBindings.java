package dev.adjoint.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The symbolic dims of one model call, bound on first sight and checked for consistency.
 *
 * <p>Generated {@code forward} and {@code gradient} methods create one per call and check each
 * input against its {@link InputSpec}, in declaration order:
 *
 * <pre>{@code
 * DimBindings dims = new DimBindings();
 * float[] x = dims.checkF32(X, inputs.get("x")).data();
 * int[] y = dims.checkI32(Y, inputs.get("y")).data();
 * int B = dims.size("B");
 * }</pre>
 *
 * <p>A mismatch throws {@link IllegalArgumentException} naming the input, the declared shape and the
 * received one, for example
 * {@code input x: expected f32[B, 64], got f32[2, 63] (dimension 2 is 63, expected 64)} or
 * {@code input y: expected i32[B], got i32[3]: dim B is 2 (bound by input x)}. Dimensions in
 * messages are counted from 1. Checks run in this order: missing input, element type, rank, then
 * each dimension left to right; an input that fails binds nothing.
 */
public final class DimBindings {
  private record Binding(int size, String source) {}

  private final Map<String, Binding> bound = new LinkedHashMap<>();

  /** No dims bound yet. */
  public DimBindings() {}

  /**
   * Binds {@code dim} explicitly (for example from a caller's {@code "dims"}), before any input is
   * checked. Binding it again to the same size is allowed.
   *
   * @throws IllegalArgumentException if {@code dim} is already bound to another size
   */
  public DimBindings bind(String dim, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("dim " + dim + " cannot be " + size);
    }
    Binding old = bound.get(dim);
    if (old != null && old.size() != size) {
      throw new IllegalArgumentException(
          "dim " + dim + " is " + old.size() + " (bound by " + old.source() + "), cannot bind it to " + size);
    }
    bound.putIfAbsent(dim, new Binding(size, "the caller"));
    return this;
  }

  /** Whether {@code dim} has been bound. */
  public boolean isBound(String dim) {
    return bound.containsKey(dim);
  }

  /**
   * The size bound to {@code dim}.
   *
   * @throws IllegalStateException if no input (or {@link #bind}) has bound it
   */
  public int size(String dim) {
    Binding b = bound.get(dim);
    if (b == null) {
      throw new IllegalStateException("dim " + dim + " is not bound by any input");
    }
    return b.size();
  }

  /** The bindings so far, in the order they were made. */
  public Map<String, Integer> bindings() {
    Map<String, Integer> out = new LinkedHashMap<>();
    bound.forEach((name, b) -> out.put(name, b.size()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Checks {@code received} against {@code spec}, binding the dims it is the first to show.
   *
   * @return {@code received}
   * @throws IllegalArgumentException if the input is missing (null), or its element type, rank or
   *     a dimension does not match
   */
  public Tensor check(InputSpec spec, Tensor received) {
    String expected = "input " + spec.name() + ": expected " + spec.declared() + ", got ";
    if (received == null) {
      throw new IllegalArgumentException(expected + "nothing");
    }
    String got = expected + received.typeString();
    if (received.elementType() != spec.elementType()) {
      throw new IllegalArgumentException(got + " (element type " + received.elementType()
          + ", expected " + spec.elementType() + ")");
    }
    if (received.rank() != spec.rank()) {
      throw new IllegalArgumentException(
          got + " (rank " + received.rank() + ", expected " + spec.rank() + ")");
    }
    String source = "input " + spec.name();
    Map<String, Binding> fresh = new LinkedHashMap<>();
    for (int d = 0; d < spec.rank(); d++) {
      Dim dim = spec.dims().get(d);
      int actual = received.dim(d);
      if (dim instanceof Dim.Fixed fixed) {
        if (actual != fixed.size()) {
          throw new IllegalArgumentException(got + " (dimension " + (d + 1) + " is " + actual
              + ", expected " + fixed.size() + ")");
        }
      } else if (dim instanceof Dim.Named named) {
        Binding b = bound.containsKey(named.name()) ? bound.get(named.name()) : fresh.get(named.name());
        if (b == null) {
          fresh.put(named.name(), new Binding(actual, source));
        } else if (b.size() != actual) {
          throw new IllegalArgumentException(
              got + ": dim " + named.name() + " is " + b.size() + " (bound by " + b.source() + ")");
        }
      }
    }
    bound.putAll(fresh);
    return received;
  }

  /** {@link #check} for an {@code f32} input, returning it typed. */
  public FloatTensor checkF32(InputSpec spec, Tensor received) {
    return (FloatTensor) check(expect(spec, ElementType.F32), received);
  }

  /** {@link #check} for an {@code f64} input, returning it typed. */
  public DoubleTensor checkF64(InputSpec spec, Tensor received) {
    return (DoubleTensor) check(expect(spec, ElementType.F64), received);
  }

  /** {@link #check} for an {@code i32} input, returning it typed. */
  public IntTensor checkI32(InputSpec spec, Tensor received) {
    return (IntTensor) check(expect(spec, ElementType.I32), received);
  }

  private static InputSpec expect(InputSpec spec, ElementType type) {
    if (spec.elementType() != type) {
      throw new IllegalStateException(
          "input " + spec.name() + " is declared " + spec.elementType() + ", not " + type);
    }
    return spec;
  }

  @Override
  public String toString() {
    return bindings().toString();
  }
}
