// The benchmarking stand-ins of one process: ShapeOnlyCommunicator returns what a real group's
// collectives would in shape (values are this rank's own rows, zeros where it has none), and
// CountingCommunicator turns what it counted into the bytes real links would carry. Exact
// comparisons: only copies and integer arithmetic are involved.

#include "parallel/comm/counting_communicator.h"
#include "parallel/comm/parallel_error.h"
#include "parallel/comm/shape_only_communicator.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/zeros.h>

#include <QtTest/QtTest>

using namespace cosmos3::parallel;

namespace {

// [rows, 2] with distinct values, so copies can be told apart.
at::Tensor rows_of(int64_t num_rows) {
  return at::arange(num_rows * 2, at::TensorOptions().dtype(at::kFloat)).view({num_rows, 2});
}

}  // namespace

class TestCommShapeOnly : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void isRankZeroOfItsSize() {
    const ShapeOnlyCommunicator group("cp", 8);
    QCOMPARE(group.rank(), 0);
    QCOMPARE(group.size(), 8);
    QCOMPARE(QString::fromStdString(group.name()), QString("cp"));
    QVERIFY_THROWS_EXCEPTION(ParallelError, ShapeOnlyCommunicator("cp", 0));
  }

  void allGatherRepeatsOwnRowsInEverySlot() {
    ShapeOnlyCommunicator group("cp", 3);
    const at::Tensor mine = rows_of(3);
    // Uneven split: the last slot is one row shorter, as split_sequence gives.
    const at::Tensor gathered = group.all_gather(mine, {3, 3, 2});
    QCOMPARE(gathered.size(0), 8);
    QVERIFY(at::equal(gathered, at::cat({mine, mine, mine.slice(0, 0, 2)})));
  }

  void allToAllFillsTheOutputShape() {
    ShapeOnlyCommunicator group("ulysses", 2);
    const at::Tensor input = rows_of(4);
    at::Tensor output = at::empty({5, 2}, input.options());
    group.all_to_all(output, input, {3, 2}, {2, 2});
    QVERIFY(at::equal(output.slice(0, 0, 4), input));
    QVERIFY(at::equal(output.slice(0, 4), at::zeros({1, 2})));
  }

  void sendRecvCutsOrPads() {
    ShapeOnlyCommunicator group("ring", 4);
    const at::Tensor send = rows_of(3);
    at::Tensor shorter = at::empty({2, 2}, send.options());
    group.send_recv(send, 1, shorter, 3);
    QVERIFY(at::equal(shorter, send.slice(0, 0, 2)));
    at::Tensor longer = at::empty({4, 2}, send.options());
    group.send_recv(send, 1, longer, 3);
    QVERIFY(at::equal(longer.slice(0, 0, 3), send));
    QVERIFY(at::equal(longer.slice(0, 3), at::zeros({1, 2})));
  }

  void allReduceLeavesTheTensor() {
    ShapeOnlyCommunicator group("tp", 4);
    at::Tensor tensor = rows_of(2);
    group.all_reduce_sum(tensor);
    QVERIFY(at::equal(tensor, rows_of(2)));
  }

  // NCCL's bus-byte convention for P = 4: all_reduce 2 * 3/4, all_to_all 3/4, all_gather 3.
  void countsBusBytesByCollective() {
    CountingCommunicator counted(std::make_shared<ShapeOnlyCommunicator>("cp", 4));
    at::Tensor tensor = rows_of(4);  // 32 bytes
    counted.all_reduce_sum(tensor);
    QCOMPARE(counted.num_bus_bytes(), 48.0);
    counted.reset();
    at::Tensor output = at::empty({4, 2}, tensor.options());
    counted.all_to_all(output, tensor, {1, 1, 1, 1}, {1, 1, 1, 1});
    QCOMPARE(counted.num_bus_bytes(), 24.0);
    counted.reset();
    counted.all_gather(tensor, {4, 4, 4, 4});
    QCOMPARE(counted.num_bus_bytes(), 96.0);
    QCOMPARE(counted.num_calls(CollectiveKind::all_gather), int64_t{1});
  }
};

QTEST_GUILESS_MAIN(TestCommShapeOnly)
#include "tst_comm_shape_only.moc"
