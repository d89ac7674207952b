#!/usr/bin/env python3
"""A local stand-in for the Hugging Face Hub, for the model download tests (tests/hub/).

    hub_test_server.py --repos DIR --state DIR [--gated OWNER/NAME --token TOKEN]

Serves every folder DIR/OWNER/NAME as the model repository OWNER/NAME, with the Hub's shapes:
  GET /api/models/OWNER/NAME/revision/REV?blobs=true   siblings with size, blobId, lfs.sha256
  GET /OWNER/NAME/resolve/REV/PATH                      the file; *.safetensors are "LFS" files,
                                                        answered by a 302 to /_cdn/... as the Hub
                                                        redirects to its CDN
REV is "main" or the commit the API reports. Range requests ("bytes=N-") get 206. A gated repo
lists its files to anyone (with "gated": "manual") but answers a file request with 401
(X-Error-Code: GatedRepo) without a token and 403 with a wrong one; an unknown repo answers 401
with X-Error-Code: RepoNotFound, as the Hub does for anonymous requests.

The test steers faults through STATE/faults.json, read at every request: a list of
  {"id": "x", "path": "OWNER/NAME/FILE", "kind": "drop" | "flip", "offset": N, "times": 1}
"drop" closes the connection once byte N is reached; "flip" inverts byte N of the body; "stall"
sends bytes up to N, then waits "seconds" (default 30) before the rest, like a stuck CDN. Each
id fires `times` times. Every request is appended to STATE/requests.jsonl as
  {"kind": "api" | "resolve" | "cdn" | "refused", "path": "OWNER/NAME/FILE", "range_start": N, "status": S}
The port is printed on stdout as "listening on PORT" once the server accepts connections.
"""
import argparse
import hashlib
import http.server
import json
import os
import pathlib
import sys
import threading
import time
import urllib.parse

fired_counts = {}
lock = threading.Lock()


def git_blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def is_lfs(path):
    return path.endswith(".safetensors")


def repo_files(repo_dir):
    return sorted(p.relative_to(repo_dir).as_posix() for p in repo_dir.rglob("*") if p.is_file())


def repo_commit(repo_dir):
    digest = hashlib.sha1()
    for name in repo_files(repo_dir):
        digest.update(name.encode() + hashlib.sha256((repo_dir / name).read_bytes()).digest())
    return digest.hexdigest()


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up on a dropped or canceled transfer is what the tests do.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class HubHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    options = None

    def log_message(self, *args):
        pass

    def record(self, kind, path, range_start, status):
        with lock, open(self.options.state / "requests.jsonl", "a") as log:
            log.write(json.dumps({"kind": kind, "path": path, "range_start": range_start,
                                  "status": status}) + "\n")

    def send_json(self, status, document, error_code=None):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if error_code:
            self.send_header("X-Error-Code", error_code)
        self.end_headers()
        self.wfile.write(body)

    def refuse_without_access(self, repo):
        """Sends the Hub's answer when the request may not read `repo`; True if it did."""
        refusal = self.refusal(repo)
        if refusal is None:
            return False
        status, message, error_code = refusal
        self.record("refused", repo, 0, status)
        self.send_json(status, {"error": message}, error_code)
        return True

    def refusal(self, repo):
        repo_dir = self.options.repos / repo
        if not repo_dir.is_dir():
            return 401, "Repository Not Found for url", "RepoNotFound"
        if repo not in self.options.gated:
            return None
        authorization = self.headers.get("Authorization", "")
        if not authorization:
            return 401, (f"Access to model {repo} is restricted. You must have access to it and "
                         "be authenticated to access it."), "GatedRepo"
        if authorization != f"Bearer {self.options.token}":
            return 403, (f"Access to model {repo} is restricted and you are not in the "
                         "authorized list."), "GatedRepo"
        return None

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = [urllib.parse.unquote(part) for part in url.path.split("/")[1:]]
        if parts[:2] == ["api", "models"] and len(parts) == 6 and parts[4] == "revision":
            self.serve_listing(f"{parts[2]}/{parts[3]}", parts[5])
        elif len(parts) >= 5 and parts[2] == "resolve":
            self.serve_resolve(f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:]))
        elif len(parts) >= 4 and parts[0] == "_cdn":
            self.serve_file("cdn", f"{parts[1]}/{parts[2]}", "/".join(parts[3:]))
        else:
            self.send_json(404, {"error": "no such route"})

    def serve_listing(self, repo, revision):
        # As on the Hub, a gated repository's file list is public (it says "gated"); its files
        # are not.
        if not (self.options.repos / repo).is_dir() and self.refuse_without_access(repo):
            return
        repo_dir = self.options.repos / repo
        commit = repo_commit(repo_dir)
        if revision not in ("main", commit):
            self.record("api", repo, 0, 404)
            self.send_json(404, {"error": f"Invalid rev id: {revision}"}, "RevisionNotFound")
            return
        siblings = []
        for name in repo_files(repo_dir):
            data = (repo_dir / name).read_bytes()
            sibling = {"rfilename": name, "size": len(data), "blobId": git_blob_id(data)}
            if is_lfs(name):
                sibling["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                  "pointerSize": 134}
            siblings.append(sibling)
        self.record("api", repo, 0, 200)
        self.send_json(200, {"id": repo, "sha": commit, "siblings": siblings,
                             "gated": "manual" if repo in self.options.gated else False})

    def serve_resolve(self, repo, revision, path):
        if self.refuse_without_access(repo):
            return
        if revision not in ("main", repo_commit(self.options.repos / repo)):
            self.send_json(404, {"error": f"Invalid rev id: {revision}"}, "RevisionNotFound")
            return
        if is_lfs(path) and (self.options.repos / repo / path).is_file():
            self.record("resolve", f"{repo}/{path}", 0, 302)
            self.send_response(302)
            self.send_header("Location", f"/_cdn/{repo}/{urllib.parse.quote(path)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.serve_file("resolve", repo, path)

    def serve_file(self, kind, repo, path):
        file_path = self.options.repos / repo / path
        if not file_path.is_file():
            self.record(kind, f"{repo}/{path}", 0, 404)
            self.send_json(404, {"error": "Entry not found"}, "EntryNotFound")
            return
        data = file_path.read_bytes()
        start = 0
        range_header = self.headers.get("Range", "")
        if range_header.startswith("bytes="):
            start = int(range_header[len("bytes="):].split("-")[0])
            if start >= len(data):
                self.record(kind, f"{repo}/{path}", start, 416)
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        status = 206 if range_header else 200
        body = bytearray(data[start:])
        drop_at, stall = self.apply_faults(f"{repo}/{path}", start, body)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.record(kind, f"{repo}/{path}", start, status)
        self.end_headers()
        if stall is not None:
            stall_at, seconds = stall
            self.wfile.write(body[:stall_at])
            self.wfile.flush()
            time.sleep(seconds)
            body = body[stall_at:]
        if drop_at is not None:
            self.wfile.write(body[:drop_at])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)

    def apply_faults(self, path, start, body):
        """Flips bytes in `body` (which starts at `start`); returns where to drop (or None) and
        where and how long to stall (or None)."""
        faults_file = self.options.state / "faults.json"
        if not faults_file.exists():
            return None, None
        drop_at = None
        stall = None
        with lock:
            for fault in json.loads(faults_file.read_text()):
                offset = fault["offset"] - start
                if fault["path"] != path or not 0 <= offset < len(body):
                    continue
                if fired_counts.get(fault["id"], 0) >= fault.get("times", 1):
                    continue
                fired_counts[fault["id"]] = fired_counts.get(fault["id"], 0) + 1
                if fault["kind"] == "flip":
                    body[offset] ^= 0xFF
                elif fault["kind"] == "drop":
                    drop_at = offset if drop_at is None else min(drop_at, offset)
                elif fault["kind"] == "stall":
                    stall = (offset, fault.get("seconds", 30))
        return drop_at, stall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=pathlib.Path, required=True)
    parser.add_argument("--state", type=pathlib.Path, required=True)
    parser.add_argument("--gated", action="append", default=[])
    parser.add_argument("--token", default="")
    HubHandler.options = parser.parse_args()
    HubHandler.options.state.mkdir(parents=True, exist_ok=True)
    server = QuietServer(("127.0.0.1", 0), HubHandler)
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
