package dev.nightjar.jobs;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.data.Manifest;
import dev.nightjar.data.Splits;
import dev.nightjar.data.text.LabelledRecordLoader;
import dev.nightjar.eval.ClassificationMetrics;
import dev.nightjar.eval.Evaluator;
import dev.nightjar.eval.ValidationRunner;
import dev.nightjar.model.LabelMap;
import dev.nightjar.model.ModelBundle;
import dev.nightjar.model.TextClassifierConfig;
import dev.nightjar.model.TextClassifiers;
import dev.nightjar.storage.Bundles;
import dev.nightjar.text.Tokenizer;
import dev.nightjar.train.TrainConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text classification on a classification dataset: the encoder of a language-model bundle
 * ({@code --init-from}) fine-tuned in the configured mode (head, gradual, full), or the same
 * network trained from scratch. The bundle carries the dataset's tokenizer and labels.
 */
final class TextClassifierTask implements TrainingTask {
    private static final Logger LOG = LoggerFactory.getLogger(TextClassifierTask.class);
    private final JavaSparkContext sc;
    private final Manifest manifest;
    private final LabelMap labels;
    private final Tokenizer tokenizer;
    private final TextClassifierConfig model;
    private final TrainConfig train;
    private final String initFrom;
    private MultiLayerConfiguration unfrozen;
    private int encoderLayers;

    TextClassifierTask(JavaSparkContext sc, Config c, Manifest manifest, LabelMap labels, Tokenizer tokenizer, String initFrom) {
        this.sc = sc;
        this.manifest = manifest;
        this.labels = labels;
        this.tokenizer = tokenizer;
        this.model = TextClassifierConfig.from(c);
        this.train = TrainConfig.from(c);
        this.initFrom = initFrom;
    }

    @Override
    public String kind() {
        return "text-classifier";
    }

    @Override
    public MultiLayerNetwork create() {
        MultiLayerNetwork encoder;
        if (initFrom != null) {
            ModelBundle lm = Bundles.load(initFrom, sc.hadoopConfiguration());
            if (!"language-model".equals(lm.kind())) {
                throw new UserException("--init-from " + initFrom + " is a " + lm.kind() + "; a language model is needed");
            }
            if (!tokenizer.equals(lm.requireTokenizer())) {
                throw new UserException("the dataset was encoded with another tokenizer than the language model " + initFrom
                        + " (prepare it with --tokenizer-from " + initFrom + ")");
            }
            encoder = lm.network();
        } else {
            encoder = TextClassifiers.freshEncoder(model, tokenizer.size(), train.epochs());
        }
        MultiLayerNetwork net = TextClassifiers.fromLanguageModel(encoder, model, labels.size(), train.epochs());
        unfrozen = net.getLayerWiseConfigurations().clone();
        encoderLayers = TextClassifiers.encoderLayers(net);
        LOG.info("text classifier from {}: {} encoder layers, pooling {}, fine-tuning {} (frozen encoder layers per epoch: {})",
                initFrom == null ? "scratch" : initFrom, encoderLayers, model.pooling(), model.finetune(),
                model.frozenLayersPerEpoch(encoderLayers, train.epochs()));
        return net;
    }

    @Override
    public MultiLayerNetwork beforeEpoch(int epoch, MultiLayerNetwork net) {
        int frozen = model.frozenLayers(epoch, encoderLayers);
        if (initFrom == null || frozen == TextClassifiers.frozenLayers(net)) {
            return net;
        }
        LOG.info("epoch {}: {} of {} encoder layers frozen", epoch + 1, frozen, encoderLayers);
        return TextClassifiers.withFrozen(unfrozen, net, frozen);
    }

    @Override
    public DataSetLoader loader(int epoch) {
        return new LabelledRecordLoader(tokenizer.size(), labels.size(), train.effectiveThreads());
    }

    @Override
    public String lossUnit() {
        return "cross-entropy per example";
    }

    @Override
    public ValidationRunner<ClassificationMetrics> validation(List<String> records) {
        DataSetLoader loader = loader(0);
        return new ValidationRunner<>(records, net -> ClassificationMetrics.of(kind(), Splits.VALIDATION,
                new Evaluator(sc).evaluate(net, records, loader, labels.labels(), train.workers()), labels.labels()),
                ClassificationMetrics::summary);
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("max_len", manifest.text().seqLen());
        p.put("tokenizer", tokenizer.type());
        p.put("vocab_size", tokenizer.size());
        p.put("pooling", model.pooling());
        p.put("init_from", initFrom);
        p.put("finetune", initFrom == null ? "scratch" : model.finetune());
        return p;
    }

    @Override
    public ModelBundle bundle(MultiLayerNetwork trained, Map<String, Object> provenance) {
        // saved without frozen wrappers: the same network, whatever stage training ended in
        return new ModelBundle(TextClassifiers.withFrozen(unfrozen, trained, 0), labels, tokenizer, provenance);
    }
}
