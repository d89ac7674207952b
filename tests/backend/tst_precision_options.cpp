// The precision of a generation on its three ways in: cosmos3-generate's --precision, the
// protocol job's "precision" field (refused in the job's own words where the group cannot run
// FP8), and generation.json, whose checksum covers it.

#include "core/pipeline/generation_request.h"
#include "parallel/backend/generate_options.h"
#include "parallel/backend/generation_seal.h"
#include "parallel/backend/job_request.h"
#include "parallel/backend/request_metadata.h"

#include <QtTest/QtTest>

#include <string>
#include <vector>

using namespace cosmos3;
using model::Precision;

namespace {

std::vector<std::string> base_flags() {
  return {"--model", "some/model", "--prompt", "a red fox", "--output-dir", "out"};
}

app::GenerateOptions parse(std::vector<std::string> flags) {
  const std::vector<std::string_view> views(flags.begin(), flags.end());
  return app::parse_generate_options(views);
}

std::vector<std::string> with(std::vector<std::string> flags,
                              std::initializer_list<std::string> more) {
  flags.insert(flags.end(), more);
  return flags;
}

// The UsageError's message, or "" when parsing succeeded.
template <typename Parse>
std::string usage_error_of(Parse&& parse_call) {
  try {
    parse_call();
  } catch (const app::UsageError& error) {
    return error.what();
  }
  return {};
}

backend::EngineSettings group_on(c10::Device device, c10::ScalarType dtype) {
  backend::EngineSettings settings;
  settings.model_dir = "some/model";
  settings.device = device;
  settings.dtype = dtype;
  return settings;
}

nlohmann::json job_with_precision(const nlohmann::json& precision) {
  return {{"prompt", "a red fox"}, {"output_dir", "out"}, {"precision", precision}};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

class PrecisionOptionsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theFlagDefaultsToBf16AndTakesFp8OnACudaBf16Model() {
    QCOMPARE(parse(base_flags()).request.precision, Precision::kBf16);
    QCOMPARE(parse(with(base_flags(), {"--precision", "bf16"})).request.precision,
             Precision::kBf16);
    const auto fp8 =
        with(base_flags(), {"--device", "cuda", "--dtype", "bfloat16", "--precision", "fp8"});
    QCOMPARE(parse(fp8).request.precision, Precision::kFp8);
  }

  void theCliRefusesFp8WhereItCannotRunNamingTheFix() {
    const std::string on_cpu = usage_error_of([] {
      parse(with(base_flags(), {"--dtype", "bfloat16", "--precision", "fp8"}));
    });
    QVERIFY2(contains(on_cpu, "the device is cpu"), on_cpu.c_str());
    QVERIFY2(contains(on_cpu, "use --precision bf16"), on_cpu.c_str());
    const std::string in_fp32 = usage_error_of([] {
      parse(with(base_flags(), {"--device", "cuda", "--precision", "fp8"}));
    });
    QVERIFY2(contains(in_fp32, "float32, not bfloat16"), in_fp32.c_str());
    QVERIFY2(contains(in_fp32, "use --precision bf16"), in_fp32.c_str());
  }

  void theCliRefusesOtherValuesAndActionJobs() {
    const std::string fp16 = usage_error_of([] {
      parse(with(base_flags(), {"--precision", "fp16"}));
    });
    QVERIFY2(contains(fp16, "--precision") && contains(fp16, "bf16 or fp8"), fp16.c_str());
    const std::string action = usage_error_of([] {
      parse({"--model", "m", "--prompt", "p", "--output-dir", "o", "--action-mode", "policy",
             "--domain", "bridge", "--vision-path", "frame.png", "--device", "cuda", "--dtype",
             "bfloat16", "--precision", "fp8"});
    });
    QVERIFY2(contains(action, "action job") && contains(action, "--precision bf16"),
             action.c_str());
  }

  void aJobFieldIsValidatedLikeTheFlag() {
    const auto gpu_group = group_on(c10::Device(c10::kCUDA, 0), c10::kBFloat16);
    QCOMPARE(backend::job_options(job_with_precision("fp8"), gpu_group).request.precision,
             Precision::kFp8);
    QCOMPARE(backend::job_options(job_with_precision("bf16"), gpu_group).request.precision,
             Precision::kBf16);
    const std::string fp16 =
        usage_error_of([&] { backend::job_options(job_with_precision("fp16"), gpu_group); });
    QVERIFY2(contains(fp16, "bf16 or fp8"), fp16.c_str());
    const std::string number =
        usage_error_of([&] { backend::job_options(job_with_precision(8), gpu_group); });
    QVERIFY2(contains(number, "bf16 or fp8"), number.c_str());
  }

  void aJobAskingFp8OfACpuOrFp32GroupIsRefusedInTheJobsWords() {
    for (const auto& group : {group_on(c10::Device(c10::kCPU), c10::kBFloat16),
                              group_on(c10::Device(c10::kCUDA, 0), c10::kFloat)}) {
      const std::string message =
          usage_error_of([&] { backend::job_options(job_with_precision("fp8"), group); });
      QVERIFY2(contains(message, "job field \"precision\""), message.c_str());
      QVERIFY2(contains(message, "send \"precision\": \"bf16\""), message.c_str());
      QVERIFY2(!contains(message, "--device"), message.c_str());
    }
    const std::string on_cpu = usage_error_of([] {
      backend::job_options(job_with_precision("fp8"),
                           group_on(c10::Device(c10::kCPU), c10::kBFloat16));
    });
    QVERIFY2(contains(on_cpu, "the device is cpu"), on_cpu.c_str());
  }

  void generationJsonRecordsThePrecisionUnderTheSeal() {
    pipeline::ResolvedRequest resolved;
    resolved.request.prompt = "a red fox";
    resolved.request.precision = Precision::kFp8;
    nlohmann::json metadata = backend::request_metadata(
        resolved, group_on(c10::Device(c10::kCUDA, 0), c10::kBFloat16), 12, 10);
    QCOMPARE(metadata["precision"].get<std::string>(), std::string("fp8"));
    backend::seal_parameters(metadata);
    backend::check_parameters_seal(metadata, "generation.json");
    metadata["precision"] = "bf16";
    QVERIFY_THROWS_EXCEPTION(backend::SealError,
                             backend::check_parameters_seal(metadata, "generation.json"));
    // Where it is recorded, and only there, the checksum covers it.
    metadata.erase("precision");
    metadata.erase("parameters_checksum");
    const std::string without = backend::parameters_checksum(metadata);
    metadata["precision"] = "bf16";
    QVERIFY(backend::parameters_checksum(metadata) != without);
  }
};

QTEST_APPLESS_MAIN(PrecisionOptionsTest)
#include "tst_precision_options.moc"
