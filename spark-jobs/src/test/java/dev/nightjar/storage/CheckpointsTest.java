package dev.nightjar.storage;

import com.typesafe.config.Config;
import dev.nightjar.config.Configs;
import dev.nightjar.model.LanguageModelConfig;
import dev.nightjar.model.LanguageModels;
import dev.nightjar.model.Network;
import dev.nightjar.train.PlanFingerprint;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CheckpointsTest {
    static final PlanFingerprint PLAN = new PlanFingerprint(42, 2, 5, 4, 0, List.of("part-00003.shard"), "c0ffee", 12, "beef");
    @TempDir
    Path run;

    private static MultiLayerNetwork trainedTwice() {
        Config c = Configs.layered(Configs.defaults(), Configs.parseOverrides(List.of("model.lm.embedding-size=4", "model.lm.lstm-sizes=[8]")));
        MultiLayerNetwork net = LanguageModels.create(LanguageModelConfig.from(c), 10, 5, 1);
        DataSet ds = new DataSet(Nd4j.create(new float[] {4, 5, 6, 7, 8}, new long[] {1, 1, 5}, 'c'),
                Nd4j.create(new float[] {5, 6, 7, 8, 9}, new long[] {1, 1, 5}, 'c'));
        net.fit(ds);
        net.fit(ds);
        return net;
    }

    @Test
    void keepsTheNewestAndReadsBackWeightsUpdaterAndCursor() {
        Checkpoints ckpts = new Checkpoints(run.toString(), new Configuration(), 2);
        MultiLayerNetwork net = trainedTwice();
        ckpts.write(Network.of(net), 0, 1, 100, PLAN);
        ckpts.write(Network.of(net), 0, 2, 200, PLAN);
        ckpts.write(Network.of(net), 1, 0, 300, PLAN);
        assertEquals(List.of(Checkpoints.name(0, 2), Checkpoints.name(1, 0)),
                ckpts.list().stream().map(d -> Path.of(java.net.URI.create(d).getPath()).getFileName().toString()).toList());
        Checkpoints.Checkpoint latest = ckpts.latestValid();
        assertEquals(new Checkpoints.Cursor(1, 0, 300, 42, latest.cursor().modelSha256(), PLAN), latest.cursor(), "the plan's fingerprint reads back whole");
        assertEquals(net.params(), latest.network().params());
        assertEquals(net.getIterationCount(), latest.network().multiLayer().getIterationCount(), "Adam's step count");
        assertEquals(net.getUpdater().getStateViewArray(), latest.network().updaterState(), "Adam moments kept");
    }

    @Test
    void aTruncatedCheckpointIsSkippedForTheOneBefore() throws Exception {
        Checkpoints ckpts = new Checkpoints(run.toString(), new Configuration(), 3);
        MultiLayerNetwork net = trainedTwice();
        ckpts.write(Network.of(net), 0, 1, 100, PLAN);
        ckpts.write(Network.of(net), 0, 2, 200, PLAN);
        Path newest = run.resolve(Checkpoints.DIR).resolve(Checkpoints.name(0, 2)).resolve(Checkpoints.MODEL);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(newest.resolveSibling("." + Checkpoints.MODEL + ".crc"));
        assertEquals(100, ckpts.latestValid().cursor().examplesSeen());
        // a crash mid-write leaves only a temporary directory, which readers ignore
        Files.createDirectories(run.resolve(Checkpoints.DIR).resolve(".ckpt-00000-000003.tmp-x"));
        assertEquals(2, ckpts.list().size());
        assertNull(new Checkpoints(run.resolve("other").toString(), new Configuration(), 2).latestValid());
    }
}
