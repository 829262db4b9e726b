package dev.adjoint.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>A product dimension ({@code 2*B}, {@code B*C}) is checked as soon as its dims are bound, and
 * binds its one unbound dim when the others are known and the size divides evenly: {@code x :
 * f32[2*B]} of size 6 binds {@code B = 3}, of size 5 throws ({@code 5 is not a multiple of 2}). A
 * product waiting for a later input is checked when that input binds its dims.
 */
public final class DimBindings {
  private record Binding(int size, String source) {}

  private final Map<String, Binding> bound = new LinkedHashMap<>();
  private final List<Pending> pending = new ArrayList<>();

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
   * @throws IllegalArgumentException if a checked input has a product dimension ({@code B*C}) that
   *     the inputs never gave enough dims to check
   */
  public int size(String dim) {
    if (!pending.isEmpty()) {
      Pending p = pending.get(0);
      throw new IllegalArgumentException(p.got() + " (dimension " + (p.axis() + 1) + " is "
          + p.actual() + ", declared " + p.dim() + "): no input binds enough of "
          + String.join(", ", new java.util.LinkedHashSet<>(p.dim().names()))
          + " alone to check it");
    }
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
    List<Pending> open = new ArrayList<>();
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
      } else {
        open.add(new Pending((Dim.Product) dim, d, actual, got, source));
      }
    }
    // A product binds or checks once the dims it needs are known, from this input or a later one.
    resolve(open, fresh);
    bound.putAll(fresh);
    pending.addAll(open);
    resolve(pending, bound);
    return received;
  }

  /**
   * A product dimension of a checked input that could not be checked yet: more than one of its dims
   * was unbound ({@code B*C} with neither known).
   */
  private record Pending(Dim.Product dim, int axis, int actual, String got, String source) {}

  /**
   * Checks, or binds from, every product of {@code open} whose dims allow it, until none does;
   * removes those done. New bindings go to {@code known} (each name looked up there and in {@link
   * #bound}).
   */
  private void resolve(List<Pending> open, Map<String, Binding> known) {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Iterator<Pending> it = open.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        long product = p.dim().coefficient();
        String unknown = null;
        int unknownCount = 0;
        for (String name : p.dim().names()) {
          Binding b = known.containsKey(name) ? known.get(name) : bound.get(name);
          if (b == null) {
            unknown = name;
            unknownCount++;
          } else {
            product = Math.min(product * b.size(), (long) Integer.MAX_VALUE + 1); // no int is larger
          }
        }
        String where = " (dimension " + (p.axis() + 1) + " is " + p.actual() + ", declared "
            + p.dim() + ")";
        if (unknownCount == 0) {
          if (product != p.actual()) {
            throw new IllegalArgumentException(p.got() + where + ": expected " + product
                + " from " + describe(p.dim().names(), known));
          }
        } else if (unknownCount == 1 && product > 0) {
          if (p.actual() % product != 0) {
            throw new IllegalArgumentException(p.got() + where + ": " + p.actual()
                + " is not a multiple of " + product + ", so no size of dim " + unknown + " fits");
          }
          known.put(unknown, new Binding((int) (p.actual() / product), p.source()));
        } else {
          continue;
        }
        it.remove();
        progress = true;
      }
    }
  }

  private String describe(List<String> names, Map<String, Binding> known) {
    StringBuilder sb = new StringBuilder();
    for (String name : new java.util.LinkedHashSet<>(names)) {
      Binding b = known.containsKey(name) ? known.get(name) : bound.get(name);
      sb.append(sb.length() == 0 ? "" : ", ").append("dim ").append(name).append(" = ")
          .append(b.size()).append(" (bound by ").append(b.source()).append(")");
    }
    return sb.toString();
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
