package io.parsimony.experiment.design;

import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.model.RescaledSpec;

import java.util.Arrays;

/**
 * Multiply-adds of one image's forward pass, in closed form from a spec: every conv's
 * k²·in·out per output pixel, 1×1 projections and the classifier (BatchNorm and pooling are
 * not counted). Same walk as {@code ModelSize}'s activations: pools halve the map, a strided
 * block's first conv and projection run at the halved size. It is the cost model a design uses
 * to share its time among candidates of very different shapes.
 */
final class MultiplyAdds {

    private long h;
    private long w;
    private long total;

    private MultiplyAdds(int height, int width) {
        this.h = height;
        this.w = width;
    }

    static long of(ModelSpec spec, int height, int width) {
        MultiplyAdds m = new MultiplyAdds(height, width);
        m.walk(spec instanceof RescaledSpec r ? r.scaled() : spec);
        return m.total;
    }

    private void conv(long in, long out, long k) {
        total += k * k * in * out * h * w;
    }

    private void pool() {
        h = Math.max(1, h / 2);
        w = Math.max(1, w / 2);
    }

    private void stride2() {
        h = (h - 1) / 2 + 1;
        w = (w - 1) / 2 + 1;
    }

    private void walk(ModelSpec spec) {
        long last;
        if (spec instanceof PlainCnnSpec p) {
            long in = p.inputChannels();
            for (int i = 0; i < p.widths().length; i++) {
                conv(in, p.widths()[i], p.kernels()[i]);
                in = p.widths()[i];
                final int c = i + 1;
                if (Arrays.stream(p.poolAfter()).anyMatch(a -> a == c)) {
                    pool();
                }
            }
            last = in;
        } else if (spec instanceof BlockResNetSpec r) {
            int[] wd = r.widths();
            long in = r.inputChannels();
            for (int l = 0; l < r.repeats()[0]; l++) {
                conv(in, wd[0], 3);
                in = wd[0];
            }
            for (int u = 1; u < wd.length; u++) {
                for (int b = 0; b < r.repeats()[u] / 2; b++) {
                    if (b == 0 && r.shape().strided(u)) {
                        stride2();
                    }
                    if (in != wd[u] || (b == 0 && r.shape().strided(u))) {
                        conv(in, wd[u], 1);
                    }
                    conv(in, wd[u], 3);
                    conv(wd[u], wd[u], 3);
                    in = wd[u];
                }
            }
            last = in;
        } else if (spec instanceof DacnnSpec d) {
            long in = d.widths().get(0);
            conv(d.inputChannels(), in, 3);
            for (int s = 0; s < d.widths().size(); s++) {
                long wd = d.widths().get(s);
                if (s > 0) {
                    pool();
                }
                int convs = d.units().get(s) * (d.residual() ? 2 : 1);
                for (int c = 0; c < convs; c++) {
                    conv(c == 0 ? in : wd, wd, 3);
                }
                in = wd;
            }
            last = in;
        } else {
            throw new IllegalArgumentException("no multiply-add count for " + spec.describe());
        }
        total += last * spec.classes();
    }
}
