package io.github.dl4jdropout.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
import io.github.dl4jdropout.dropout.TimeSharedDropout;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * JSON, ModelSerializer and Java serialization round trips, and golden JSON files written by version 0.2.0 that must
 * keep loading: DL4J stores the class name {@code io.github.dl4jdropout.layers.VariationalLSTM} and the field
 * {@code recurrentDropoutSchedule} in every saved model.
 */
class VariationalLstmSerializationTest {

    static final String GOLDEN_NETWORK = "v0.2.0-variational-lstm.json";
    static final String GOLDEN_GRAPH = "v0.2.0-variational-lstm-graph.json";

    /** NCW layer with both dropouts, a Bidirectional with a scheduled rate, a LastTimeStep with hard-sigmoid gates. */
    static MultiLayerConfiguration networkConf() {
        return new NeuralNetConfiguration.Builder().seed(8).list()
                .layer(new VariationalLSTM.Builder().name("encoder").nIn(3).nOut(4).activation(Activation.TANH)
                        .dropOut(Dropouts.timeShared(0.25)).recurrentDropout(0.25).build())
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, new VariationalLSTM.Builder().nOut(4)
                        .activation(Activation.TANH)
                        .recurrentDropout(new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.3, 5, 0.1))).build()))
                .layer(new LastTimeStep(new VariationalLSTM.Builder().nOut(3).activation(Activation.SOFTSIGN)
                        .gateActivationFunction(Activation.HARDSIGMOID).recurrentDropout(0.1).build()))
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(3, 5))
                .build();
    }

    /** An NWC graph: input dropout in NWC is this layer's to get right. */
    static ComputationGraphConfiguration graphConf() {
        return new NeuralNetConfiguration.Builder().seed(9).graphBuilder().addInputs("in")
                .addLayer("lstm", new VariationalLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NWC).dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC))
                        .recurrentDropout(0.3).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2)
                        .dataFormat(RNNFormat.NWC).activation(Activation.SOFTMAX).build(), "lstm")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3, RNNFormat.NWC))
                .build();
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = VariationalLstmSerializationTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jsonRoundTripsToAnEqualConfiguration() {
        MultiLayerConfiguration conf = networkConf();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        assertThat(back.toJson()).isEqualTo(conf.toJson());
        ComputationGraphConfiguration graph = graphConf();
        assertThat(ComputationGraphConfiguration.fromJson(graph.toJson())).isEqualTo(graph);
    }

    @Test
    void goldenFilesOfVersion020LoadToTheSameConfiguration() throws IOException {
        String json = golden(GOLDEN_NETWORK);
        assertThat(json).contains("\"@class\" : \"io.github.dl4jdropout.layers.VariationalLSTM\"")
                .contains("\"recurrentDropoutSchedule\"");
        MultiLayerConfiguration net = MultiLayerConfiguration.fromJson(json);
        assertThat(net).isEqualTo(networkConf());
        VariationalLSTM encoder = (VariationalLSTM) net.getConf(0).getLayer();
        assertThat(encoder.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.25));
        assertThat(encoder.getIDropout()).isEqualTo(new TimeSharedDropout(0.25, RNNFormat.NCW));
        Bidirectional bidirectional = (Bidirectional) net.getConf(1).getLayer();
        MapSchedule schedule = new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.3, 5, 0.1));
        assertThat(((VariationalLSTM) bidirectional.getFwd()).recurrentDropoutSchedule()).isEqualTo(schedule);
        assertThat(((VariationalLSTM) bidirectional.getBwd()).recurrentDropoutSchedule()).isEqualTo(schedule);
        assertThat(((VariationalLSTM) ((LastTimeStep) net.getConf(2).getLayer()).getUnderlying())
                .recurrentDropoutRateAt(0, 0)).isEqualTo(0.1);

        ComputationGraphConfiguration graph = ComputationGraphConfiguration.fromJson(golden(GOLDEN_GRAPH));
        assertThat(graph).isEqualTo(graphConf());
    }

    /** A rate read from JSON goes through the builder's check, with the builder's message. */
    @Test
    void anInvalidRateInJsonIsRejectedWithTheBuildersMessage() throws IOException {
        String json = golden(GOLDEN_NETWORK);
        String bad = json.replaceFirst("(\"recurrentDropoutSchedule\" : \\{\\s*\"@class\" : "
                + "\"org.nd4j.linalg.schedule.FixedSchedule\",\\s*\"value\" : )0.25", "$11.5");
        assertThat(bad).isNotEqualTo(json);
        Throwable thrown = Assertions.catchThrowable(() -> MultiLayerConfiguration.fromJson(bad));
        assertThat(thrown).isNotNull();
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentDropout must be in [0, 1)").hasMessageContaining("got 1.5");
    }

    /** JSON without the field (hand-written, or from a configuration saved before the field existed) means rate 0. */
    @Test
    void jsonWithoutTheRecurrentRateLoadsWithNone() {
        String json = graphConf().toJson().replaceAll("\"recurrentDropoutSchedule\" : \\{[^}]*\\},", "");
        assertThat(json).doesNotContain("recurrentDropoutSchedule");
        ComputationGraphConfiguration graph = ComputationGraphConfiguration.fromJson(json);
        VariationalLSTM lstm = (VariationalLSTM) ((org.deeplearning4j.nn.conf.graph.LayerVertex) graph.getVertices()
                .get("lstm")).getLayerConf().getLayer();
        assertThat(lstm.recurrentDropoutSchedule()).isEqualTo(new FixedSchedule(0.0));
        assertThat(lstm.hasRecurrentDropout()).isFalse();
    }

    @Test
    void modelSerializerRoundTripGivesIdenticalParametersAndOutputs(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(networkConf());
        net.init();
        Path file = dir.resolve("vlstm.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        MultiLayerNetwork restored = MultiLayerNetwork.load(file.toFile(), true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5);
        assertThat(restored.output(x)).isEqualTo(net.output(x));
        Nd4j.getRandom().setSeed(21);
        INDArray expected = net.output(x, true);
        Nd4j.getRandom().setSeed(21);
        assertThat(restored.output(x, true)).isEqualTo(expected);

        ComputationGraph graph = new ComputationGraph(graphConf());
        graph.init();
        Path graphFile = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphFile.toFile(), true);
        ComputationGraph restoredGraph = ComputationGraph.load(graphFile.toFile(), true);
        assertThat(restoredGraph.getConfiguration()).isEqualTo(graph.getConfiguration());
        INDArray g = Nd4j.rand(DataType.FLOAT, 2, 5, 3);
        Nd4j.getRandom().setSeed(22);
        INDArray graphExpected = graph.outputSingle(true, g);
        Nd4j.getRandom().setSeed(22);
        assertThat(restoredGraph.outputSingle(true, g)).isEqualTo(graphExpected);
    }

    @Test
    void javaSerializationRoundTripsTheConfiguration() throws Exception {
        MultiLayerConfiguration conf = networkConf();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            MultiLayerConfiguration back = (MultiLayerConfiguration) in.readObject();
            assertThat(back).isEqualTo(conf);
            assertThat(back.getConf(0).getLayer().toString()).isEqualTo(conf.getConf(0).getLayer().toString());
        }
    }

    /** Regenerates the golden files; run only when the format is changed on purpose, and say so in the commit. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.writeString(dir.resolve(GOLDEN_NETWORK), networkConf().toJson());
        Files.writeString(dir.resolve(GOLDEN_GRAPH), graphConf().toJson());
    }
}
