"""Dinic's maximum flow exactly as core_cpp/selection/max_flow.cpp runs it (same adjacency order,
breadth-first levels, one depth-first augmenting path at a time with current-arc pointers), so
the flow itself, not only its value, matches byte for byte. Slow and plain on purpose."""

from __future__ import annotations


class MaxFlow:
    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        self.pending: list[tuple[int, int, int]] = []

    def add_edge(self, tail: int, head: int, capacity: int) -> None:
        self.pending.append((tail, head, capacity))

    def finish(self) -> None:
        """Each node's list: its edges, forward and reverse, in creation order."""
        lists: list[list[int]] = [[] for _ in range(self.nodes)]
        self.head, self.partner, self.capacity, self.forward = [], [], [], []
        for number, (tail, head, capacity) in enumerate(self.pending):
            lists[tail].append(2 * number)
            lists[head].append(2 * number + 1)
            self.capacity.append(capacity)
        # Positions: node by node, in list order (the C++ CSR layout).
        position = {}
        order: list[int] = []
        self.first = [0]
        for v in range(self.nodes):
            for slot in lists[v]:
                position[slot] = len(order)
                order.append(slot)
            self.first.append(len(order))
        self.head = [0] * len(order)
        self.partner = [0] * len(order)
        for number, (tail, head, _) in enumerate(self.pending):
            f, b = position[2 * number], position[2 * number + 1]
            self.head[f], self.head[b] = head, tail
            self.partner[f], self.partner[b] = b, f
            self.forward.append(f)
        self.reset()

    def set_capacity(self, number: int, capacity: int) -> None:
        self.capacity[number] = capacity

    def reset(self) -> None:
        self.cap = [0] * len(self.head)
        for number, f in enumerate(self.forward):
            self.cap[f] = self.capacity[number]

    def flow(self, number: int) -> int:
        return self.capacity[number] - self.cap[self.forward[number]]

    def _levels(self, source: int, sink: int) -> bool:
        self.level = [-1] * self.nodes
        self.level[source] = 0
        queue = [source]
        for v in queue:
            for e in range(self.first[v], self.first[v + 1]):
                w = self.head[e]
                if self.cap[e] > 0 and self.level[w] < 0:
                    self.level[w] = self.level[v] + 1
                    queue.append(w)
        return self.level[sink] >= 0

    def _augment(self, source: int, sink: int) -> int:
        stack, path = [source], []
        while stack:
            v = stack[-1]
            if v == sink:
                bottleneck = min(self.cap[e] for e in path)
                for e in path:
                    self.cap[e] -= bottleneck
                    self.cap[self.partner[e]] += bottleneck
                return bottleneck
            advanced = False
            while self.arc[v] < self.first[v + 1]:
                e = self.arc[v]
                w = self.head[e]
                if self.cap[e] > 0 and self.level[w] == self.level[v] + 1:
                    stack.append(w)
                    path.append(e)
                    advanced = True
                    break
                self.arc[v] += 1
            if not advanced:
                self.level[v] = -1
                stack.pop()
                if path:
                    path.pop()
                    self.arc[stack[-1]] += 1
        return 0

    def run(self, source: int, sink: int) -> int:
        total = 0
        while self._levels(source, sink):
            self.arc = list(self.first[:-1])
            while (pushed := self._augment(source, sink)) > 0:
                total += pushed
        return total
