package dev.nightjar.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;

/**
 * Kryo's serializer for INDArrays that crosses Spark (each averaging round's broadcast of parameters and updater
 * state, and their aggregation back): the array's bytes copied in blocks. ND4J's own ({@code Nd4jSerializer},
 * {@code Nd4j.write}) writes a {@code DataOutputStream} element by element, which took a third of the CPU of a
 * word CNN's training on Spark (4.7M parameters and Adam's two moments, both ways, every round). A view is
 * copied to a dense array first.
 */
public final class NdArraySerializer extends Serializer<INDArray> {
    private static final int BLOCK = 1 << 16;

    @Override
    public void write(Kryo kryo, Output out, INDArray arr) {
        if (!arr.dataType().isNumerical() && arr.dataType() != DataType.BOOL) {
            throw new UnsupportedOperationException("an INDArray of " + arr.dataType() + " cannot cross Spark (ND4J's serializer could not read one back either)");
        }
        if (arr.length() * arr.dataType().width() > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("an INDArray of " + arr.length() + " " + arr.dataType() + " values is over Kryo's 2 GB");
        }
        INDArray dense = arr.isView() || arr.data().length() != arr.length() ? arr.dup(arr.ordering()) : arr;
        out.writeString(dense.dataType().name());
        out.writeChar(dense.ordering());
        long[] shape = dense.shape();
        out.writeInt(shape.length, true);
        for (long s : shape) {
            out.writeLong(s, true);
        }
        long n = dense.length() * dense.dataType().width();
        out.writeLong(n, true);
        if (n == 0) {
            return;
        }
        Nd4j.getAffinityManager().ensureLocation(dense, AffinityManager.Location.HOST);
        ByteBuffer src = dense.data().asNio();
        src.position(0).limit((int) n);
        byte[] block = new byte[(int) Math.min(BLOCK, n)];
        while (src.hasRemaining()) {
            int k = Math.min(block.length, src.remaining());
            src.get(block, 0, k);
            out.writeBytes(block, 0, k);
        }
    }

    @Override
    public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
        DataType dataType = DataType.valueOf(in.readString());
        char order = in.readChar();
        long[] shape = new long[in.readInt(true)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong(true);
        }
        long n = in.readLong(true);
        if (n == 0) {
            return Nd4j.create(dataType, shape, order);
        }
        INDArray arr = Nd4j.createUninitialized(dataType, shape, order);
        ByteBuffer dst = arr.data().asNio();
        dst.position(0).limit((int) n);
        byte[] block = new byte[(int) Math.min(BLOCK, n)];
        while (dst.hasRemaining()) {
            int k = Math.min(block.length, dst.remaining());
            in.readBytes(block, 0, k);
            dst.put(block, 0, k);
        }
        Nd4j.getAffinityManager().tagLocation(arr, AffinityManager.Location.HOST);
        return arr;
    }
}
