// 03-rnn.jsh: dropout in an LSTM on sequential MNIST, step by step (the story of RnnDropoutExample).
// Run: dl4j-dropout-examples/notebooks/run 03-rnn        (a few minutes on 2 cores)
// Each image is read row by row: 28 time steps of 28 pixels. Three ways to drop out between two LSTM layers:
// DL4J's Dropout (a fresh mask at every time step), Dropouts.timeShared (one mask per sequence, Gal and
// Ghahramani 2016), and time-shared plus Dropouts.recurrentWeights (the recurrent connections dropped too).

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample;
import io.github.dl4jdropout.examples.rnn.RnnDropoutExample.Variant;
import io.github.dl4jdropout.examples.support.*;
import java.util.*;

// 1. MNIST as sequences: DL4J's iterator gives [minibatch, 784]; a DataSetPreProcessor reshapes each batch to
//    NCW [minibatch, 28 features, 28 steps]. NCW is DL4J's default and the layout to use for LSTMs: in DL4J
//    1.0.0-M2.1 an LSTM in NWC layout with dropout on its input computes wrong gradients.
MnistData.ensureAvailable();
var options = RnnDropoutExample.Options.defaults().
        withCommon(CommonOptions.of(3, 64, 2_000, 1_000, 42, "03-rnn"));
var c = options.common();
var train = RnnDropoutExample.sequences(c.batchSize(), c.trainExamples(), true, c.seed());
var test = RnnDropoutExample.sequences(c.batchSize(), c.testExamples(), false, c.seed());
System.out.println("one batch of sequences: " + Arrays.toString(train.next().getFeatures().shape()));

// 2. DL4J's Dropout takes a RETAIN probability; the library's variants take a DROP rate.
System.out.println("DL4J new Dropout(0.75) keeps 75%; Dropouts.timeShared(0.25) drops 25%: "
        + Dropouts.timeShared(0.25));

// 3. One network per variant; only the dropout differs. The audit reads each configuration before training.
//    DL4J's Dropout on the second LSTM gets a WARNING (PER_STEP_DROPOUT_ON_RECURRENT, a fresh mask at every step):
//    expected, it is the baseline this notebook demonstrates. The other variants should have no findings.
var confs = new LinkedHashMap<Variant, org.deeplearning4j.nn.conf.MultiLayerConfiguration>();
for (var v : Variant.values()) {
    confs.put(v, RnnDropoutExample.configuration(options, v));
    System.out.println("[" + v.label() + "] " + DropoutAudit.of(confs.get(v)).requireNoErrors());
}
var histories = new LinkedHashMap<Variant, List<Training.Epoch>>();
for (var v : Variant.values()) {
    var net = Training.network(confs.get(v));     // new MultiLayerNetwork(conf), initialized
    histories.put(v, Training.fit(String.format("%-24s", v.label()), net, train, test, c.epochs()));
}

// 4. Results after the last epoch: errors, cross-entropies (NLL), best test error, fit time per epoch.
System.out.println(Histories.table("variant", histories, Variant::label));

// 5. Test error by epoch, as a plot.
System.out.println("plot: " + Histories.testErrorPlot(c.outputDir().resolve("test-error-by-epoch.png"),
        "Sequential MNIST: test error by epoch", histories, Variant::label));
/exit
