package io.parsimony.search;

import io.parsimony.layout.Layout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The k best layouts offered so far, in a heap whose root is the worst kept (ties broken as
 * {@link ScoredLayout#BEST_FIRST}), without duplicates; its root's energy is what a candidate
 * must beat ({@link #threshold}), the figure the top-k search prunes against.
 */
final class TopKCollector {
    private final int k;
    private final PriorityQueue<ScoredLayout> heap;
    private final Set<Layout> inHeap = new HashSet<>();

    TopKCollector(int k) {
        this.k = k;
        this.heap = new PriorityQueue<>(ScoredLayout.BEST_FIRST.reversed());
    }

    /** Energy a candidate must beat to matter; −∞ until the heap is full. */
    double threshold() {
        return heap.size() < k ? Double.NEGATIVE_INFINITY : heap.peek().energy();
    }

    /** Keeps the layout {@code w} (copied) when it is among the k best so far. */
    void offer(int[] w, long weights, double energy) {
        if (heap.size() >= k && energy < heap.peek().energy()) {
            return;
        }
        ScoredLayout s = new ScoredLayout(new Layout(w), weights, energy);
        if (inHeap.contains(s.layout())) {
            return;
        }
        if (heap.size() < k) {
            heap.add(s);
            inHeap.add(s.layout());
        } else if (ScoredLayout.BEST_FIRST.compare(s, heap.peek()) < 0) {
            inHeap.remove(heap.poll().layout());
            heap.add(s);
            inHeap.add(s.layout());
        }
    }

    /** The layouts kept, best first. */
    List<ScoredLayout> bestFirst() {
        List<ScoredLayout> out = new ArrayList<>(heap);
        out.sort(ScoredLayout.BEST_FIRST);
        return out;
    }
}
