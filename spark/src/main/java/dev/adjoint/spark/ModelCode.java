package dev.adjoint.spark;

import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A generated model class as the executors get it: its name and, for a class compiled in the driver's
 * memory (the entry point compiles the {@code .model} file there), its class files. An executor defines
 * those bytes once per JVM with its own class loader (whose parent is the one that loaded Adjoint's
 * runtime), so nothing relies on the driver and the executors sharing a JVM. Without class files the
 * class is loaded by name: it must then be on the executors' class path (the application's jar).
 *
 * <p>Each executor thread keeps one instance of the model and reuses it for every task it runs.
 */
final class ModelCode implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Classes defined from shipped bytes, per JVM, by {@link #id}. */
  private static final Map<String, Class<? extends AdjointModel>> DEFINED = new ConcurrentHashMap<>();
  /** Each thread's model instance, with the id of its code. */
  private static final ThreadLocal<Instance> INSTANCE = new ThreadLocal<>();

  private record Instance(String id, AdjointModel model) {}

  private final String className;
  private final TreeMap<String, byte[]> classFiles;
  private final String id;

  private ModelCode(String className, Map<String, byte[]> classFiles) {
    this.className = className;
    this.classFiles = new TreeMap<>(classFiles);
    this.id = className + "@" + digest(this.classFiles);
  }

  /**
   * The code of {@code modelClass}; {@code classFiles} (binary name → bytes) are shipped to the executors,
   * or are empty when the class is on their class path.
   *
   * @throws IllegalArgumentException if class files are given but none is the model class's
   */
  static ModelCode of(Class<? extends AdjointModel> modelClass, Map<String, byte[]> classFiles) {
    if (!classFiles.isEmpty() && !classFiles.containsKey(modelClass.getName())) {
      throw new IllegalArgumentException("the class files given (" + String.join(", ", classFiles.keySet())
          + ") do not hold the model class " + modelClass.getName());
    }
    return new ModelCode(modelClass.getName(), classFiles);
  }

  /** Whether the class files travel with the code (else the class is loaded by name). */
  boolean shipsClassFiles() {
    return !classFiles.isEmpty();
  }

  /** The model class, defined from the shipped bytes (once per JVM) or loaded by name. */
  Class<? extends AdjointModel> modelClass() {
    if (classFiles.isEmpty()) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      try {
        return Class.forName(className, true, context != null ? context : ModelCode.class.getClassLoader())
            .asSubclass(AdjointModel.class);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("model class " + className + " is not on this executor's class path;"
            + " add it to the application's jar, or give its class files to SparkTrainer.Builder.classFiles",
            e);
      }
    }
    return DEFINED.computeIfAbsent(id, k -> define());
  }

  private Class<? extends AdjointModel> define() {
    ClassLoader loader = InMemoryCompiler.loader(classFiles, ModelCode.class.getClassLoader());
    try {
      return loader.loadClass(className).asSubclass(AdjointModel.class);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot define model class " + className, e);
    }
  }

  /** A new instance, {@code new Model(seed)}. */
  AdjointModel newInstance(long seed) {
    Class<? extends AdjointModel> c = modelClass();
    try {
      return c.getConstructor(long.class).newInstance(seed);
    } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot instantiate model class " + className
          + " (a generated model class has a public constructor taking a long seed)", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the constructor of " + className + " failed", e.getCause());
    }
  }

  /** This thread's instance of the model, made on first use and reused by every later task. */
  AdjointModel forThisThread() {
    Instance i = INSTANCE.get();
    if (i == null || !i.id().equals(id)) {
      i = new Instance(id, newInstance(0));
      INSTANCE.set(i);
    }
    return i.model();
  }

  /** Copies {@code values} (float[] or double[] per parameter, in declaration order) into the model. */
  static void setParameters(AdjointModel model, Object[] values) {
    int p = 0;
    for (Tensor t : model.parameters().values()) {
      Object v = values[p++];
      if (t instanceof FloatTensor f) {
        System.arraycopy((float[]) v, 0, f.data(), 0, f.size());
      } else {
        System.arraycopy((double[]) v, 0, ((DoubleTensor) t).data(), 0, t.size());
      }
    }
  }

  /** The model's parameter values, copied: float[] or double[] per parameter, in declaration order. */
  static Object[] parameterValues(AdjointModel model) {
    Object[] values = new Object[model.parameters().size()];
    int p = 0;
    for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
      Tensor t = e.getValue();
      if (t instanceof FloatTensor f) {
        values[p++] = f.data().clone();
      } else if (t instanceof DoubleTensor d) {
        values[p++] = d.data().clone();
      } else {
        throw new IllegalArgumentException("parameter " + e.getKey() + " is " + t.typeString()
            + "; only f32 and f64 parameters can be trained");
      }
    }
    return values;
  }

  private static String digest(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        sha.update(f.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(f.getValue());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
