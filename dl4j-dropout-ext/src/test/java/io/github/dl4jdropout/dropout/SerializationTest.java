package io.github.dl4jdropout.dropout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.Dropouts;
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
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
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
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * JSON, ModelSerializer and Java serialization round trips, and golden JSON files written by version 0.1.0 that
 * must keep loading: DL4J stores our class names and field names in every saved model.
 */
class SerializationTest {

    static MultiLayerConfiguration cnnConf() {
        return new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).dataFormat(CNN2DFormat.NHWC)
                        .dropOut(Dropouts.spatial(0.1, CNN2DFormat.NHWC)).build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(3).dropOut(Dropouts.spatial(0.15)).build())
                .layer(new DenseLayer.Builder().nOut(8).dropOut(Dropouts.standard(
                        new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.5, 10, 0.3)))).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .dropOut(Dropouts.standard(0.5)).build())
                .setInputType(InputType.convolutional(6, 6, 2, CNN2DFormat.NHWC))
                .build();
    }

    static MultiLayerConfiguration rnnConf() {
        return new NeuralNetConfiguration.Builder().seed(6).list()
                .layer(new DropoutLayer.Builder().dropOut(Dropouts.timeShared(0.2, RNNFormat.NWC)).build())
                .layer(new LSTM.Builder().nIn(3).nOut(4).dataFormat(RNNFormat.NWC)
                        .weightNoise(Dropouts.recurrentWeights(0.25)).build())
                .layer(new LSTM.Builder().nIn(4).nOut(4).dataFormat(RNNFormat.NCW).dropOut(Dropouts.timeShared(0.3))
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.recurrent(3, 5, RNNFormat.NWC))
                .build();
    }

    static ComputationGraphConfiguration graphConf() {
        return new NeuralNetConfiguration.Builder().seed(7).graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(4).dropOut(Dropouts.standard(0.2)).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).dropOut(Dropouts.standard(0.4)).build(), "dense")
                .setOutputs("out").build();
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = SerializationTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void configurationJsonRoundTripsToAnEqualConfiguration() {
        for (MultiLayerConfiguration conf : new MultiLayerConfiguration[]{cnnConf(), rnnConf()}) {
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertThat(back).isEqualTo(conf);
            assertThat(back.toJson()).isEqualTo(conf.toJson());
        }
        ComputationGraphConfiguration graph = graphConf();
        assertThat(ComputationGraphConfiguration.fromJson(graph.toJson())).isEqualTo(graph);
    }

    @Test
    void goldenFilesOfVersion010StillLoadToTheSameVariants() throws IOException {
        MultiLayerConfiguration cnn = MultiLayerConfiguration.fromJson(golden("v0.1.0-cnn.json"));
        assertThat(cnn).isEqualTo(cnnConf());
        assertThat(cnn.getConf(0).getLayer().getIDropout()).isEqualTo(new SpatialChannelDropout(0.1, SpatialFormat.NHWC));
        assertThat(cnn.getConf(1).getLayer().getIDropout())
                .isEqualTo(new SpatialChannelDropout(0.15, SpatialFormat.CHANNELS_FIRST));
        assertThat(cnn.getConf(2).getLayer().getIDropout()).isEqualTo(new InvertedDropout(
                new MapSchedule(ScheduleType.EPOCH, Map.of(0, 0.5, 10, 0.3))));

        MultiLayerConfiguration rnn = MultiLayerConfiguration.fromJson(golden("v0.1.0-rnn.json"));
        assertThat(rnn).isEqualTo(rnnConf());
        assertThat(rnn.getConf(0).getLayer().getIDropout()).isEqualTo(new TimeSharedDropout(0.2,
                RNNFormat.NWC));
        assertThat(((BaseLayer) rnn.getConf(1).getLayer()).getWeightNoise())
                .isEqualTo(new RecurrentWeightDropout(0.25));

        assertThat(ComputationGraphConfiguration.fromJson(golden("v0.1.0-graph.json"))).isEqualTo(graphConf());
    }

    @Test
    void modelSerializerRoundTripGivesIdenticalTrainingModeOutputs(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(rnnConf());
        net.init();
        Path file = dir.resolve("rnn.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        MultiLayerNetwork restored = MultiLayerNetwork.load(file.toFile(), true);
        assertThat(restored.getLayerWiseConfigurations()).isEqualTo(net.getLayerWiseConfigurations());
        assertThat(restored.params()).isEqualTo(net.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5, 3);
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
        INDArray g = Nd4j.rand(DataType.FLOAT, 3, 4);
        Nd4j.getRandom().setSeed(22);
        INDArray graphExpected = graph.outputSingle(true, g);
        Nd4j.getRandom().setSeed(22);
        assertThat(restoredGraph.outputSingle(true, g)).isEqualTo(graphExpected);
    }

    @Test
    void javaSerializationRoundTripsEveryVariantAndTheirMasksAreNotShared() throws Exception {
        Object[] variants = {Dropouts.standard(0.3), Dropouts.timeShared(0.2, RNNFormat.NWC),
                Dropouts.spatial(0.1, CNN2DFormat.NHWC), Dropouts.recurrentWeights(0.4),
                Dropouts.standard(new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.1, 5, 0.2)))};
        for (Object v : variants) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(v);
            }
            Object back;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                back = in.readObject();
            }
            assertThat(back).isEqualTo(v).isNotSameAs(v).hasSameHashCodeAs(v);
            assertThat(back.toString()).isEqualTo(v.toString());
        }
        MultiLayerConfiguration conf = rnnConf();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(conf);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(conf);
        }
    }

    @Test
    void clonesAreEqualAndIndependent() {
        BaseMaskedDropout original = (BaseMaskedDropout) Dropouts.standard(
                new MapSchedule(ScheduleType.ITERATION, Map.of(0, 0.1, 5, 0.2)));
        BaseMaskedDropout copy = original.clone();
        assertThat(copy).isEqualTo(original).isNotSameAs(original);
        assertThat(copy.dropRateSchedule()).isEqualTo(original.dropRateSchedule())
                .isNotSameAs(original.dropRateSchedule());
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 3);
        original.applyDropout(x, x.dup(), 0, 0, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertThat(original.masks().pending()).isEqualTo(1);
        assertThat(copy.masks().pending()).isZero();
        original.clear();
        assertThat(original.masks().pending()).isZero();
        for (Object v : new Object[]{Dropouts.timeShared(0.2, RNNFormat.NWC), Dropouts.spatial(0.1, CNN2DFormat.NHWC),
                Dropouts.recurrentWeights(0.4)}) {
            Object c = v instanceof BaseMaskedDropout ? ((BaseMaskedDropout) v).clone()
                    : ((RecurrentWeightDropout) v).clone();
            assertThat(c).isEqualTo(v).isNotSameAs(v);
        }
        assertThat(Dropouts.timeShared(0.2, RNNFormat.NWC)).isNotEqualTo(Dropouts.timeShared(0.2, RNNFormat.NCW));
        assertThat(Dropouts.standard(0.2)).isNotEqualTo(Dropouts.standard(0.3));
    }

    /** Regenerates the golden files; run only when the format is changed on purpose, and say so in the commit. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.writeString(dir.resolve("v0.1.0-cnn.json"), cnnConf().toJson());
        Files.writeString(dir.resolve("v0.1.0-rnn.json"), rnnConf().toJson());
        Files.writeString(dir.resolve("v0.1.0-graph.json"), graphConf().toJson());
    }
}
