// 03-rnn.jsh: dropout in an LSTM where it matters, step by step (the story of RnnDropoutExample).
// Run: dl4j-dropout-examples/notebooks/run 03-rnn        (a few minutes on 2 cores)
// A small training set and enough epochs that the LSTM without dropout overfits (its test NLL turns upward); then
// the same network with four kinds of dropout, the same budget and the same seeds: DL4J's Dropout (a new mask at
// every time step), Dropouts.timeShared (one mask per sequence), VariationalLSTM (time-shared input mask plus a
// recurrent mask on h(t-1), Gal and Ghahramani 2016, Keras' recurrent_dropout) and Dropouts.recurrentWeights.

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Options;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Run;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.rnn.Spread;
import io.github.dl4jdropout.examples.support.*;
import java.util.*;

// 1. Smaller than the example: 500 training images in minibatches of 25 (as many steps per epoch as the
//    example's 1,000 in 50), 20 epochs, 2 seeds, 1,000 test images, T = 10 Monte Carlo passes.
//    Each image is read as 7 time steps of 4 rows (112 pixels): --rows-per-step 4, the example's default.
MnistData.ensureAvailable();
var options = Options.defaults().
        withCommon(CommonOptions.of(20, 25, 500, 1_000, 42, "03-rnn")).
        with(Options.SEEDS, 2);
var c = options.common();
var test = RnnDropoutExample.sequences(500, c.testExamples(), false, c.seed(), options.rowsPerStep());
System.out.println("one test batch: " + Arrays.toString(test.next().getFeatures().shape())
        + " = [minibatch, 4 rows x 28 pixels, 7 steps], NCW");

// 2. DL4J's Dropout takes a RETAIN probability; the library's variants take a DROP rate.
System.out.println("DL4J new Dropout(0.8) keeps 80%; Dropouts.timeShared(0.2) drops 20%: " + Dropouts.timeShared(0.2));

// 3. One configuration per variant; only the dropout differs. The audit reads each before training: DL4J's
//    Dropout on the LSTM gets a WARNING (PER_STEP_DROPOUT_ON_RECURRENT, a fresh mask at every step), the baseline
//    measured here; the other variants should have no findings.
for (var v : Variant.values()) {
    RnnDropoutExample.audit(v, RnnDropoutExample.configuration(options, v, c.seed()));
}

// 4. Train every variant with every seed. A seed fixes the training subset, the order, the initial weights and the
//    masks, so two variants with the same seed differ only by their dropout. Each dropout network is then
//    evaluated with Monte Carlo dropout (MonteCarloEvaluator, T passes averaged).
var runs = new EnumMap<Variant, List<Run>>(Variant.class);
for (long seed : options.seedList()) {
    var train = RnnDropoutExample.sequences(c.batchSize(), c.trainExamples(), true, seed, options.rowsPerStep());
    var trainEval = RnnDropoutExample.sequences(500, c.trainExamples(), true, seed, options.rowsPerStep());
    for (var v : Variant.values()) {
        runs.computeIfAbsent(v, k -> new ArrayList<>()).add(RnnDropoutExample.train(options, v, seed, train,
                trainEval, test));
    }
}

// 5. The regime: without dropout the training NLL goes to ~0 while the test NLL passes its lowest point and rises.
for (var r : runs.get(Variant.NONE)) {
    System.out.printf("no dropout, seed %d: test NLL %.3f at its lowest (epoch %d), %.3f at epoch %d; train NLL %.4f%n",
            r.seed(), r.lowestTestLoss(), r.lowestTestLossEpoch(), r.last().testLoss(), r.last().epoch(),
            r.last().trainLoss());
}

// 6. Mean ± sd over the seeds. MC NLL and ECE: the Monte Carlo average of T = 10 passes.
var table = new Table("variant", "test error", "test NLL", "lowest test NLL", "MC NLL", "MC ECE");
for (var v : Variant.values()) {
    var r = runs.get(v);
    java.util.function.Function<java.util.function.ToDoubleFunction<Run>, Spread> over =
            f -> Spread.of(r.stream().mapToDouble(f).toArray());
    boolean mc = v != Variant.NONE;
    table.row(v.label(), over.apply(x -> x.last().testError()).formatPercent(),
            over.apply(x -> x.last().testLoss()).format(3), over.apply(Run::lowestTestLoss).format(3),
            mc ? over.apply(x -> x.mc().mc().asClassification().negativeLogLikelihood()).format(3) : "-",
            mc ? over.apply(x -> x.mc().mc().asClassification().expectedCalibrationError()).format(3) : "-");
}
System.out.println(table);

// 7. A paired difference: VariationalLSTM minus DL4J's per-step Dropout, seed by seed. With 2 seeds a spread is
//    barely measured; the example runs 3 (and more with --seeds N).
var d = Spread.of(runs.get(Variant.VARIATIONAL_LSTM).stream().mapToDouble(x -> x.last().testLoss()).toArray()).
        minus(Spread.of(runs.get(Variant.PER_STEP).stream().mapToDouble(x -> x.last().testLoss()).toArray()));
System.out.println("test NLL, VariationalLSTM - per-step: " + d.format(3) + " nats, per seed "
        + Arrays.stream(d.values()).mapToObj(x -> Table.num(x, 3)).toList() + (d.exceedsSpread() ? ": exceeds the spread" : ": within the spread"));

// 8. One evaluator report in full, standard inference against Monte Carlo.
System.out.println("VariationalLSTM, seed " + c.seed() + ":\n" + runs.get(Variant.VARIATIONAL_LSTM).get(0).mc());

// 9. Test NLL by epoch, mean of the seeds: the line without dropout turns upward.
var means = new EnumMap<Variant, List<Training.Epoch>>(Variant.class);
runs.forEach((v, r) -> means.put(v, Histories.mean(r.stream().map(Run::history).toList())));
System.out.println("plot: " + Histories.testLossPlot(c.outputDir().resolve("test-nll-by-epoch.png"),
        "Sequential MNIST, 500 training images: test NLL by epoch", means, Variant::label));
/exit
