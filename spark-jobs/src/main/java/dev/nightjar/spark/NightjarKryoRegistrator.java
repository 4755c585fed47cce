package dev.nightjar.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import dev.nightjar.data.ShardInfo;
import dev.nightjar.data.text.EncodePartition;
import dev.nightjar.eval.TokenLoss;
import dev.nightjar.model.ImageShape;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Kryo 4 (Spark's) cannot build a field serializer for Java records, so the records that cross
 * Spark as data (task results, shuffled values) use Java serialization. Runs after ND4J's registrator, and
 * replaces its INDArray serializer with one that copies bytes in blocks ({@link NdArraySerializer}).
 */
public final class NightjarKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new NdArraySerializer());
        kryo.register(ShardInfo.class, new JavaSerializer());
        kryo.register(ImageShape.class, new JavaSerializer());
        kryo.register(EncodePartition.Result.class, new JavaSerializer());
        kryo.register(TokenLoss.class, new JavaSerializer());
        kryo.register(dev.nightjar.eval.ReconstructionLoss.class, new JavaSerializer());
        kryo.register(dev.nightjar.eval.PairedCounts.class, new JavaSerializer());
        kryo.register(dev.nightjar.data.text.WriteLabelledShards.Written.class, new JavaSerializer());
        kryo.register(dev.nightjar.data.shard.ShardVerifier.Bad.class, new JavaSerializer());
        kryo.register(dev.nightjar.data.text.CsvTable.CsvFile.class, new JavaSerializer());
        kryo.register(dev.nightjar.data.text.InputTally.class, new JavaSerializer());
    }
}
