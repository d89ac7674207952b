#pragma once
// What a Hub answer's status means for the user: the errors the Hub gives for gated, private and
// missing repositories, told apart by its X-Error-Code header.

#include "core/hub/http_client.h"

#include <string>

namespace cosmos3::hub {

// Throws the typed error for an answer with status >= 400 (GatedRepoError, RepoNotFoundError,
// DownloadError); returns for a 2xx. `what` names the request in messages ("the file list of
// nvidia/Cosmos3-Nano", a URL); `token_source` is empty when no token was sent.
void throw_on_hub_error(const HttpResult& result, const std::string& repo, const std::string& what,
                        const std::string& token_source);

// True for answers worth retrying as they are: 429 and 5xx.
bool is_retryable_status(long status);

}  // namespace cosmos3::hub
