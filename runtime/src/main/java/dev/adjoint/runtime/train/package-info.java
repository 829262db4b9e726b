/**
 * The training loop: a {@link dev.adjoint.runtime.train.Trainer} runs epochs of optimizer steps on
 * a generated model, with batches from a {@link dev.adjoint.runtime.train.BatchSource} (for CSV
 * data a {@link dev.adjoint.runtime.train.CsvBatchSource}), reporting to
 * {@link dev.adjoint.runtime.train.TrainingListener}s and watching the gradients with
 * {@link dev.adjoint.runtime.train.GradientHealth}.
 *
 * <p>A training loop in ten lines, for the {@code DigitsMlp} sample model:
 *
 * <pre>{@code
 * CsvData.Split split = CsvData.read(Path.of("digits.csv.gz"),
 *     CsvOptions.defaults().withNumClasses(10)).split(360);
 * DigitsMlp model = new DigitsMlp(42);
 * TrainingSummary summary = Trainer.builder(model, Adam.builder(model.parameters()).build())
 *     .data(CsvBatchSource.shuffled(split.train(), "x", "y", 32, 42))
 *     .heldOut(CsvBatchSource.inOrder(split.heldOut(), "x", "y", 256))
 *     .accuracy("probs", "y").epochs(10)
 *     .build().fit();
 * summary.epochs().forEach(System.out::println);   // or a TrainingListener, to see them as they come
 * System.out.print(summary.health().report());
 * }</pre>
 *
 * <p>A step whose loss or gradient is NaN or infinite ends training with a
 * {@link dev.adjoint.runtime.train.TrainingDivergedException} before anything is applied. A model
 * without inputs (such as a function to minimize) trains without data: give
 * {@code stepsPerEpoch(n)} instead. A trainer that computes the gradients elsewhere (the Spark
 * module spreads each batch over a cluster) gives them through a
 * {@link dev.adjoint.runtime.train.GradientSource} and keeps everything else: optimizer, schedule,
 * clipping, health, listeners. Everything is deterministic given the seeds; nothing but the JDK
 * is used.
 */
package dev.adjoint.runtime.train;
