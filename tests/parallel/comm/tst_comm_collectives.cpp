// Every collective of the CPU transport against locally computed results, run as 1, 2, 3 and 4
// separate processes (see CMakeLists.txt). All ranks run these slots in the same order.

#include "parallel/comm/collective_checks.h"
#include "parallel/comm/counting_communicator.h"
#include "parallel/comm/device_mesh.h"
#include "parallel/comm/noop_communicator.h"
#include "parallel/comm/world.h"

#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>

#include <QtTest/QtTest>

#include <memory>

using namespace cosmos3::parallel;

Q_DECLARE_METATYPE(c10::ScalarType)

class TestCommCollectives : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<World> world_;
  Communicator& all() { return *world_->communicator(); }
  const c10::Device kCpu{c10::kCPU};

  static void add_dtypes() {
    QTest::addColumn<c10::ScalarType>("dtype");
    QTest::newRow("float32") << at::kFloat;
    QTest::newRow("bfloat16") << at::kBFloat16;
    QTest::newRow("float16") << at::kHalf;
    QTest::newRow("int64") << at::kLong;
    QTest::newRow("uint8") << at::kByte;
  }

 private Q_SLOTS:
  void initTestCase() {
    const auto environment = RankEnvironment::is_launched() ? RankEnvironment::from_environment()
                                                            : RankEnvironment::single_process();
    world_ = connect_world(environment, Backend::cpu);
    qInfo("rank %d of %d", all().rank(), all().size());
  }

  void allReduceSum_data() { add_dtypes(); }
  void allReduceSum() {
    QFETCH(c10::ScalarType, dtype);
    const std::string failure = check_all_reduce_sum(all(), kCpu, dtype);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void allToAllUneven_data() { add_dtypes(); }
  void allToAllUneven() {
    QFETCH(c10::ScalarType, dtype);
    const std::string failure = check_all_to_all(all(), kCpu, dtype);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void allGatherUneven_data() { add_dtypes(); }
  void allGatherUneven() {
    QFETCH(c10::ScalarType, dtype);
    const std::string failure = check_all_gather(all(), kCpu, dtype);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void broadcastFromEveryRoot_data() { add_dtypes(); }
  void broadcastFromEveryRoot() {
    QFETCH(c10::ScalarType, dtype);
    const std::string failure = check_broadcast(all(), kCpu, dtype);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // 12 MB each way, several socket buffers: with two ranks both send to each other at once.
  void sendRecvLargeBothWays() {
    const std::string failure = check_send_recv(all(), kCpu, 12u << 20);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void barrierWaitsForTheLastRank() {
    const std::string failure = check_barrier(all());
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // The groups of a 2 x N/2 mesh (1 x N on odd worlds) on the world's connections, with world
  // collectives interleaved to show the groups do not disturb its streams.
  void meshGroupsRunEveryCollective() {
    const int outer = all().size() % 2 == 0 ? 2 : 1;
    DeviceMesh mesh(*world_, {{"outer", outer}, {"inner", all().size() / outer}});
    QCOMPARE(mesh.group("outer")->rank(), mesh.coordinate("outer"));
    QCOMPARE(mesh.group("inner")->size(), all().size() / outer);
    for (const char* axis : {"outer", "inner"}) {
      Communicator& group = *mesh.group(axis);
      std::string failure = check_all_reduce_sum(group, kCpu, at::kBFloat16);
      if (failure.empty()) failure = check_all_reduce_sum(all(), kCpu, at::kFloat);
      if (failure.empty()) failure = check_all_to_all(group, kCpu, at::kFloat);
      if (failure.empty()) failure = check_all_gather(group, kCpu, at::kBFloat16);
      if (failure.empty()) failure = check_broadcast(group, kCpu, at::kInt);
      if (failure.empty()) failure = check_send_recv(group, kCpu, 1 << 16);
      QVERIFY2(failure.empty(), (std::string(axis) + ": " + failure).c_str());
    }
    // Group members are the ranks that share the other coordinate.
    at::Tensor world_rank =
        at::arange(all().rank(), all().rank() + 1, at::TensorOptions().dtype(at::kLong));
    const at::Tensor members = mesh.group("inner")->all_gather(
        world_rank, std::vector<int64_t>(static_cast<std::size_t>(mesh.group("inner")->size()), 1));
    const int first = mesh.coordinate("outer") * mesh.degree("inner");
    QVERIFY(at::equal(members, at::arange(first, first + mesh.degree("inner"),
                                          at::TensorOptions().dtype(at::kLong))));
  }

  // Each rank forms every one-rank group (as make_group requires) and keeps only its own.
  void sizeOneGroupsAreNoops() {
    std::shared_ptr<Communicator> own;
    for (int rank = 0; rank < all().size(); ++rank) {
      auto group = world_->make_group("solo" + std::to_string(rank), {rank});
      QCOMPARE(group != nullptr, rank == all().rank());
      if (group) own = group;
    }
    QVERIFY(dynamic_cast<NoopCommunicator*>(own.get()) != nullptr);
    at::Tensor tensor = at::arange(6, at::TensorOptions().dtype(at::kFloat));
    const at::Tensor before = tensor.clone();
    own->all_reduce_sum(tensor);
    own->broadcast(tensor, 0);
    own->barrier();
    QVERIFY(at::equal(tensor, before));
    QVERIFY(own->all_gather(tensor, {6}).is_same(tensor));
    const std::string failure = check_all_to_all(*own, kCpu, at::kFloat);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  void countingCommunicatorCountsEachKind() {
    CountingCommunicator counted(world_->communicator());
    at::Tensor tensor = at::arange(4, at::TensorOptions().dtype(at::kFloat));
    counted.all_reduce_sum(tensor);
    counted.all_reduce_sum(tensor);
    counted.barrier();
    const std::string failure = check_all_to_all(counted, kCpu, at::kFloat);
    QVERIFY2(failure.empty(), failure.c_str());
    QCOMPARE(counted.num_calls(CollectiveKind::all_reduce_sum), 2);
    QCOMPARE(counted.num_bytes(CollectiveKind::all_reduce_sum), 32);
    QCOMPARE(counted.num_calls(CollectiveKind::barrier), 1);
    QCOMPARE(counted.num_calls(CollectiveKind::all_to_all), 1);
    QCOMPARE(counted.num_calls_total(), 4);
    counted.reset();
    QCOMPARE(counted.num_calls_total(), 0);
  }

  void cleanupTestCase() {
    // Nobody closes connections while a peer is still in its last collective.
    if (world_) all().barrier();
  }
};

QTEST_GUILESS_MAIN(TestCommCollectives)
#include "tst_comm_collectives.moc"
