package dev.adjoint.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.optim.Adam;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Executors in JVMs of their own (Spark's local-cluster master: a master and two workers in this JVM,
 * each worker starting an executor process): the model class, compiled in this JVM's memory, reaches
 * them only as the class files SparkTrainer ships, and the result is single-machine training's.
 *
 * <p>A worker starts its executor with the jars of {@code $SPARK_HOME/jars}; the build points
 * SPARK_HOME at {@code target/spark-home} (Surefire's environment), which this class fills with links
 * to the Spark jars of the test class path.
 *
 * <p>Starting two more JVMs with the whole test class path took two minutes on the shared development
 * machine (load average 14), more than the module's test budget, so the test runs on request only (it
 * passed there on 2026-12-05):
 * {@code mvn -B -pl spark -am verify -Dadjoint.spark.cluster=true -Dtest=SparkTrainerClusterTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "adjoint.spark.cluster", matches = "true")
class SparkTrainerClusterTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    Path home = Path.of(System.getenv().getOrDefault("SPARK_HOME", "target/spark-home"));
    Path jars = home.resolve("jars");
    Files.createDirectories(jars);
    // The launcher looks for a build directory to tell the Scala version when SPARK_SCALA_VERSION is unset.
    Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
    String classPath = System.getProperty("java.class.path");
    for (String entry : classPath.split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName().toString());
      if (entry.endsWith(".jar") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("cluster")
        .config("spark.ui.enabled", "false")
        // Adjoint's own classes (target/classes directories) for the executors; the model class is not there.
        .config("spark.executor.extraClassPath", classPath)
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void executorsInOtherJvmsDefineTheShippedModelClassAndTrainAsOneMachine() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Set<Long> pids = new HashSet<>(jsc.parallelize(List.of(1, 2, 3, 4, 5, 6), 6)
        .map(i -> ProcessHandle.current().pid()).collect());
    assertFalse(pids.contains(ProcessHandle.current().pid()), "tasks ran in other processes: " + pids);

    TestModels.Compiled mlp = TestModels.compile(TestModels.MLP);
    AdjointModel m = mlp.newInstance(SparkTrainerExactnessTest.MODEL_SEED);
    try (SparkTrainer t = SparkTrainer.builder(m, Adam.builder(m.parameters()).learningRate(0.05).build())
        .data(TestModels.dataset(spark, SparkTrainerExactnessTest.data(), 2))
        .holdOutLast(SparkTrainerExactnessTest.HELD_OUT).partitions(2)
        .classFiles(mlp.classFiles()).batchSize(SparkTrainerExactnessTest.BATCH)
        .seed(SparkTrainerExactnessTest.SHUFFLE_SEED).epochs(1).build()) {
      assertEquals(5, t.fit().steps());
    }
    AdjointModel one = SparkTrainerExactnessTest.singleMachineOneEpoch(mlp);
    double diff = SparkTrainerExactnessTest.maxRelativeDifference(one.parameters(), m.parameters());
    assertTrue(diff <= 1e-12, "max relative difference " + diff);
  }
}
