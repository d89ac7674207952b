#include "core/hub/file_digest.h"

#include "core/hub/hub_errors.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <vector>

namespace cosmos3::hub {

std::string file_digest(const std::filesystem::path& path, DigestKind kind,
                        const std::atomic<bool>* stop_requested) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    throw DownloadError("cannot read " + path.string() + " to check its checksum");
  }
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                        &EVP_MD_CTX_free);
  const EVP_MD* algorithm = kind == DigestKind::kSha256 ? EVP_sha256() : EVP_sha1();
  if (!context || EVP_DigestInit_ex(context.get(), algorithm, nullptr) != 1) {
    throw DownloadError("OpenSSL cannot start a checksum (out of memory?)");
  }
  if (kind == DigestKind::kGitBlobSha1) {
    const std::string header = "blob " + std::to_string(std::filesystem::file_size(path));
    EVP_DigestUpdate(context.get(), header.c_str(), header.size() + 1);  // with its '\0'
  }
  std::vector<char> buffer(1 << 20);
  while (stream) {
    if (stop_requested != nullptr && stop_requested->load()) {
      throw DownloadCanceled();
    }
    stream.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<size_t>(stream.gcount()));
  }
  if (!stream.eof()) {
    throw DownloadError("reading " + path.string() + " failed while checking its checksum");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int num_digest_bytes = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &num_digest_bytes);
  constexpr const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int index = 0; index < num_digest_bytes; ++index) {
    hex += kHex[digest[index] >> 4];
    hex += kHex[digest[index] & 0x0F];
  }
  return hex;
}

}  // namespace cosmos3::hub
