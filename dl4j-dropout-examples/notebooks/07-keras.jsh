// 07-keras.jsh: Monte Carlo dropout on a model trained in Keras, step by step (the story of KerasExample).
// Run: dl4j-dropout-examples/notebooks/run 07-keras        (a few seconds once built)
// Claim: DL4J's own Keras import loses or changes a model's dropout (Dropout(rate) becomes a no-op, an LSTM's dropout
// a new mask at every step, its recurrent_dropout is ignored), so Monte Carlo dropout on an imported model gives no
// or the wrong uncertainty. KerasDropoutImport keeps the dropout with Keras' meaning, says what it did, and the
// imported model can be audited and sampled like one built in DL4J.

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.keras.*;
import io.github.dl4jdropout.examples.keras.KerasExample.Options;
import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.keras.*;
import io.github.dl4jdropout.montecarlo.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import java.util.*;

// 1. The model: a Keras 2.0.6 file from KonduitAI/dl4j-test-resources (Apache 2.0), shipped with the examples.
//    Sequential LSTM(50, dropout=0.2) on one-step windows of one feature, then Dense(1): a one-step forecaster.
//    with(option, value) changes one setting; the options are the ones of ./run-example keras --help.
var options = Options.defaults().
        with(Options.MC_SAMPLES, 100).
        with(Options.OUT, CommonOptions.defaultOutputDir("07-keras"));
System.out.println("model: " + options.model());

// 2. Import it, keeping its dropout. The report has one line per setting this import configured differently from
//    DL4J's KerasModelImport: the LSTM became a VariationalLSTM with Keras' time-shared input mask (and, for a
//    recurrent_dropout, its recurrent mask); the note says Keras' implementation=0 draws one mask per gate.
KerasDropoutImport.Result<MultiLayerNetwork> imported =
        KerasDropoutImport.importSequentialWithReport(options.model().toString());
imported.mappings().forEach(System.out::println);
var net = imported.model();
// return_sequences=False: DL4J's import wraps the LSTM in LastTimeStep; inside it is now a VariationalLSTM.
var top = (org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep) net.getLayerWiseConfigurations().getConf(0).getLayer();
System.out.println("layer 0: LastTimeStep(" + top.getUnderlying().getClass().getSimpleName() + ")");

// 3. The audit for Monte Carlo use: is there dropout that samples, in a format the layers read correctly?
var audit = DropoutAudit.forMonteCarlo(net);
System.out.println(audit);
audit.requireNoErrors();

// 4. Inputs: one-step windows [points, 1, 1] (batch, time, features: Keras' layout) with values 0, 0.2, ..., 1.
double[] inputs = KerasExample.inputs(options.points());
var x = Nd4j.create(inputs, new long[]{inputs.length, 1, 1}, 'c').castTo(DataType.FLOAT);

// 5. Monte Carlo dropout: T passes with the dropout on, one mask per example and pass; the evaluator also runs the
//    standard (deterministic) pass.
var prediction = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(options.mcSamples()).
        seed(options.seed()).build().predict(x);
double[] det = Vectors.values(prediction.deterministic());
double[] mean = Vectors.values(prediction.mean());
double[] std = Arrays.stream(Vectors.values(prediction.variance())).map(Math::sqrt).toArray();

// 6. The table. With one input feature, input dropout keeps the whole window (scaled by 1/0.8) or drops it: the
//    spread grows with the input and is exactly 0 at input 0, which dropping cannot change.
var table = new Table("input (T = " + options.mcSamples() + ")", "standard", "MC mean", "MC std");
for (int i = 0; i < inputs.length; i++) {
    table.row(Table.num(inputs[i], 3), Table.num(det[i], 4), Table.num(mean[i], 4), Table.num(std[i], 4));
}
System.out.println(table);

// 7. The same in one call, as ./run-example keras does (also writes keras-mc.csv to the output folder).
var result = KerasExample.run(options.with(Options.MC_SAMPLES, 50));
System.out.println("CSV: " + result.csv());
/exit
