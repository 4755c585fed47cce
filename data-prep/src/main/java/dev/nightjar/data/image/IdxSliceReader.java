package dev.nightjar.data.image;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;

import java.io.DataInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads images [start, end) of an IDX pair on an executor; {@code slice} is {start, end}. Each image is named
 * {@code source#index} after the input the user gave, whichever copy of it is read (an inflated one), since
 * the name decides its split and shuffle order.
 */
public final class IdxSliceReader implements FlatMapFunction<long[], PreparedImage> {
    private static final long serialVersionUID = 1L;

    private final String imagesUri;
    private final String labelsUri;
    private final String source;

    public IdxSliceReader(String imagesUri, String labelsUri, String source) {
        this.imagesUri = imagesUri;
        this.labelsUri = labelsUri;
        this.source = source;
    }

    @Override
    public Iterator<PreparedImage> call(long[] slice) throws Exception {
        Configuration conf = new Configuration();
        int n = (int) (slice[1] - slice[0]);
        List<PreparedImage> out = new ArrayList<>(n);
        try (DataInputStream images = open(imagesUri, conf); DataInputStream labels = open(labelsUri, conf)) {
            IdxFile.Header ih = IdxFile.readHeader(images, imagesUri);
            IdxFile.readHeader(labels, labelsUri);
            IdxFile.skipFully(images, slice[0] * ih.itemBytes());
            IdxFile.skipFully(labels, slice[0]);
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[ih.itemBytes()];
                images.readFully(px);
                int label = labels.readUnsignedByte();
                out.add(PreparedImage.ok(source + "#" + (slice[0] + i), label, px));
            }
        }
        return out.iterator();
    }

    private static DataInputStream open(String uri, Configuration conf) throws java.io.IOException {
        Path p = new Path(uri);
        InputStream raw = p.getFileSystem(conf).open(p);
        return new DataInputStream(IdxFile.maybeGunzip(raw));
    }
}
