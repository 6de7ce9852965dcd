package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

/** {@link NetworkEdits} of a {@code MultiLayerConfiguration}. */
final class MultiLayerEdits implements NetworkEdits {

    private final MultiLayerConfiguration conf;

    MultiLayerEdits(MultiLayerConfiguration conf) {
        this.conf = conf;
    }

    @Override
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            names.add(c.getLayer().getLayerName());
        }
        return names;
    }

    private int index(String name) {
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            if (name.equals(confs.get(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("no layer named '" + name + "'");
    }

    @Override
    public Layer layer(String name) {
        return conf.getConf(index(name)).getLayer();
    }

    @Override
    public InputPreProcessor preProcessor(String name) {
        return conf.getInputPreProcess(index(name));
    }

    @Override
    public List<String> inputsOf(String name) {
        int i = index(name);
        return i == 0 ? List.of() : List.of(conf.getConf(i - 1).getLayer().getLayerName());
    }

    @Override
    public void replaceLayer(String name, Layer replacement) {
        conf.getConf(index(name)).setLayer(replacement);
    }

    @Override
    public void insertBefore(String name, String newName, Layer inserted) {
        int at = index(name);
        NeuralNetConfiguration nnc = conf.getConf(at).clone();
        nnc.clearVariables();
        inserted.setLayerName(newName);
        nnc.setLayer(inserted);
        List<NeuralNetConfiguration> confs = new ArrayList<>(conf.getConfs());
        confs.add(at, nnc);
        conf.setConfs(confs);
        // Preprocessors are keyed by layer index: the one of the shifted layer now feeds the inserted layer.
        Map<Integer, InputPreProcessor> shifted = new HashMap<>();
        for (Map.Entry<Integer, InputPreProcessor> e : conf.getInputPreProcessors().entrySet()) {
            int k = e.getKey();
            shifted.put(k <= at ? k : k + 1, e.getValue());
        }
        conf.setInputPreProcessors(shifted);
    }

    @Override
    public boolean contains(String name) {
        return layerNames().contains(name);
    }
}
