// Pure logic of `tidings services` (no servers are started here).
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAptPolicyCandidate } from "../src/services/apt.ts";
import { downloadVerified, parseSha512File } from "../src/services/download.ts";
import {
  esArtifactUrl,
  esConfigYaml,
  esHeapOpts,
  esNetworkHostFor,
  ES_VERSION,
  healthAtLeast,
  majorOf,
  versionFromNodesInfo,
} from "../src/services/elasticsearch.ts";
import { formatStatusLine } from "../src/services/index.ts";
import { parseJavaHome, parseJavaVersion } from "../src/services/jdk.ts";
import { findRepoRoot, servicePaths } from "../src/services/paths.ts";
import { interpretRedisReplies, parseRespReply, redisBindFor, redisConfig, respCommand } from "../src/services/redis.ts";
import { pidAlive, recordAlive } from "../src/services/state.ts";
import {
  bareHost,
  DEFAULT_ELASTICSEARCH_URL,
  DEFAULT_REDIS_URL,
  elasticsearchUrlFromEnv,
  isLoopbackHost,
  parseElasticsearchUrl,
  parseRedisUrl,
  redactUrl,
  redisUrlFromEnv,
} from "../src/services/url.ts";

/** Parse a flat `key value` config into a map (last occurrence wins, like Redis). */
function confMap(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf(" ");
    m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

describe("service URLs", () => {
  it("defaults when the env is empty", () => {
    expect(redisUrlFromEnv({})).toBe(DEFAULT_REDIS_URL);
    expect(elasticsearchUrlFromEnv({ ELASTICSEARCH_URL: "  " })).toBe(DEFAULT_ELASTICSEARCH_URL);
    expect(redisUrlFromEnv({ REDIS_URL: "redis://h:1" })).toBe("redis://h:1");
  });

  it("recognises loopback hosts", () => {
    for (const h of ["localhost", "LOCALHOST", "foo.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ["0.0.0.0", "10.0.0.1", "192.168.1.10", "redis", "example.com", "::", "128.0.0.1", "::ffff:10.0.0.1"]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
    expect(bareHost("[::1]")).toBe("::1");
  });

  it("parses Redis URLs", () => {
    expect(parseRedisUrl("redis://127.0.0.1:6380")).toMatchObject({ host: "127.0.0.1", port: 6380, tls: false, db: 0 });
    expect(parseRedisUrl("redis://localhost")).toMatchObject({ host: "localhost", port: 6379 });
    const withAuth = parseRedisUrl("rediss://user:p%40ss@[::1]:7000/3");
    expect(withAuth).toMatchObject({ host: "::1", port: 7000, tls: true, db: 3, username: "user", password: "p@ss" });
    expect(parseRedisUrl("redis://:secret@127.0.0.1:6379").password).toBe("secret");
    expect(() => parseRedisUrl("http://127.0.0.1:6379")).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl("not a url")).toThrow(/not a valid URL/);
  });

  it("parses Elasticsearch URLs, moving credentials to a header", () => {
    expect(parseElasticsearchUrl("http://127.0.0.1:9200")).toEqual({ base: "http://127.0.0.1:9200/", host: "127.0.0.1", port: 9200, https: false });
    const t = parseElasticsearchUrl("https://elastic:changeme@es.example:9243/prefix");
    expect(t.base).toBe("https://es.example:9243/prefix/");
    expect(t.port).toBe(9243);
    expect(t.authorization).toBe(`Basic ${Buffer.from("elastic:changeme").toString("base64")}`);
    expect(parseElasticsearchUrl("http://localhost").port).toBe(80);
    expect(() => parseElasticsearchUrl("redis://x")).toThrow();
  });

  it("redacts passwords for printing", () => {
    expect(redactUrl("redis://:secret@127.0.0.1:6379")).toBe("redis://:***@127.0.0.1:6379");
    expect(redactUrl("http://127.0.0.1:9200")).toBe("http://127.0.0.1:9200");
  });
});

describe("redis config", () => {
  const conf = redisConfig({ port: 6390, dir: "/data/x y", bind: ["127.0.0.1"] });
  const m = confMap(conf);

  it("has what BullMQ needs and what our process management needs", () => {
    expect(m.get("appendonly")).toBe("yes");
    expect(m.get("maxmemory-policy")).toBe("noeviction");
    expect(m.get("bind")).toBe("127.0.0.1");
    expect(m.get("port")).toBe("6390");
    expect(m.get("daemonize")).toBe("yes");
    expect(m.get("dir")).toBe('"/data/x y"');
    expect(m.get("pidfile")).toBe('"/data/x y/redis.pid"');
    expect(m.get("logfile")).toBe('"/data/x y/redis.log"');
    expect(m.has("requirepass")).toBe(false);
  });

  it("sets requirepass when the URL has a password", () => {
    expect(confMap(redisConfig({ port: 1, dir: "/d", bind: ["127.0.0.1"], password: "s3cret" })).get("requirepass")).toBe("s3cret");
  });

  it("binds both loopback families for localhost, optional IPv6", () => {
    expect(redisBindFor("localhost")).toEqual(["127.0.0.1", "-::1"]);
    expect(redisBindFor("127.0.0.2")).toEqual(["127.0.0.2"]);
  });

  it("agrees with the documented template in infra/redis/redis.conf", () => {
    const template = confMap(readFileSync(join(findRepoRoot(), "infra", "redis", "redis.conf"), "utf8"));
    for (const key of ["appendonly", "appendfsync", "maxmemory-policy", "timeout"]) {
      expect(template.get(key), key).toBe(m.get(key));
    }
  });
});

describe("RESP", () => {
  it("encodes commands", () => {
    expect(respCommand("PING")).toBe("*1\r\n$4\r\nPING\r\n");
    expect(respCommand("ECHO", "é")).toBe("*2\r\n$4\r\nECHO\r\n$2\r\né\r\n");
  });

  it("parses replies, waiting for complete bulk strings", () => {
    expect(parseRespReply("+PONG\r\nrest")).toEqual({ reply: { kind: "simple", value: "PONG" }, rest: "rest" });
    expect(parseRespReply("-NOAUTH Authentication required.\r\n")?.reply).toEqual({ kind: "error", value: "NOAUTH Authentication required." });
    expect(parseRespReply(":42\r\n")?.reply).toEqual({ kind: "int", value: 42 });
    expect(parseRespReply("$5\r\nhel")).toBeNull();
    expect(parseRespReply("$5\r\nhello\r\n+OK\r\n")).toEqual({ reply: { kind: "bulk", value: "hello" }, rest: "+OK\r\n" });
    expect(parseRespReply("$-1\r\n")?.reply).toEqual({ kind: "bulk", value: null });
    expect(parseRespReply("+PON")).toBeNull();
  });

  it("interprets a probe's replies", () => {
    const ok = interpretRedisReplies(
      [
        { kind: "simple", value: "PONG" },
        { kind: "bulk", value: "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n" },
        { kind: "bulk", value: "maxmemory-policy" },
        { kind: "bulk", value: "noeviction" },
      ],
      false,
    );
    expect(ok).toEqual({ up: true, answered: true, version: "7.0.15", maxmemoryPolicy: "noeviction" });
    expect(interpretRedisReplies([{ kind: "error", value: "NOAUTH Authentication required." }], false)).toMatchObject({ up: false, answered: true });
    expect(interpretRedisReplies([{ kind: "error", value: "WRONGPASS" }], true).error).toMatch(/AUTH failed/);
    expect(interpretRedisReplies([], false)).toMatchObject({ up: false, answered: false });
  });
});

describe("elasticsearch config", () => {
  const base = { port: 9201, networkHost: "127.0.0.1", dataPath: "/d/es/data", logsPath: "/d/es/logs" };

  it("is single-node, loopback, with our paths and no disk watermarks", () => {
    const yml = esConfigYaml({ ...base, modules: ["apm", "transport-netty4", "x-pack-core", "x-pack-security"] });
    expect(yml).toContain("discovery.type: single-node\n");
    expect(yml).toContain('network.host: "127.0.0.1"\n');
    expect(yml).toContain("http.port: 9201\n");
    expect(yml).toContain('path.data: "/d/es/data"\n');
    expect(yml).toContain('path.logs: "/d/es/logs"\n');
    expect(yml).toContain("cluster.routing.allocation.disk.threshold_enabled: false\n");
    expect(yml).toContain("xpack.security.enabled: false\n");
    // the integ-test-zip has no ingest-geoip module: its setting would be "unknown" and fatal
    expect(yml).not.toContain("geoip");
    expect(yml).not.toContain("xpack.ml");
  });

  it("writes module settings only for modules that exist", () => {
    const bare = esConfigYaml({ ...base, modules: ["transport-netty4"] });
    expect(bare).not.toContain("xpack.");
    const full = esConfigYaml({ ...base, modules: ["ingest-geoip", "x-pack-security", "x-pack-ml"] });
    expect(full).toContain("ingest.geoip.downloader.enabled: false\n");
    expect(full).toContain("xpack.ml.enabled: false\n");
  });

  it("quotes paths safely", () => {
    expect(esConfigYaml({ ...base, dataPath: 'C:\\a "b"', modules: [] })).toContain('path.data: "C:\\\\a \\"b\\""');
  });

  it("maps URL hosts to network.host", () => {
    expect(esNetworkHostFor("localhost")).toBe("_local_");
    expect(esNetworkHostFor("127.0.0.1")).toBe("127.0.0.1");
  });

  it("builds the Maven Central artifact URL", () => {
    expect(esArtifactUrl("8.19.21")).toBe(
      "https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/8.19.21/elasticsearch-8.19.21.zip",
    );
    expect(majorOf(ES_VERSION)).toBe(8);
  });

  it("reads the heap from TIDINGS_ES_HEAP", () => {
    expect(esHeapOpts(undefined)).toBe("-Xms1g -Xmx1g");
    expect(esHeapOpts("512m")).toBe("-Xms512m -Xmx512m");
    expect(() => esHeapOpts("lots")).toThrow(/TIDINGS_ES_HEAP/);
  });

  it("ranks cluster health", () => {
    expect(healthAtLeast("green", "yellow")).toBe(true);
    expect(healthAtLeast("yellow", "yellow")).toBe(true);
    expect(healthAtLeast("red", "yellow")).toBe(false);
    expect(healthAtLeast(undefined, "yellow")).toBe(false);
    expect(healthAtLeast("yellow", "green")).toBe(false);
  });

  it("reads the version from nodes info (the bare build has no GET /)", () => {
    expect(versionFromNodesInfo({ nodes: { abc: { version: "8.19.21" } } })).toBe("8.19.21");
    expect(versionFromNodesInfo({})).toBeUndefined();
    expect(versionFromNodesInfo("oops")).toBeUndefined();
  });
});

describe("java detection", () => {
  it("parses java -version output", () => {
    expect(parseJavaVersion('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment')).toEqual({ major: 17, version: "17.0.15" });
    expect(parseJavaVersion('java version "1.8.0_292"')?.major).toBe(8);
    expect(parseJavaVersion('openjdk version "21" 2023-09-19')?.major).toBe(21);
    expect(parseJavaVersion('openjdk version "22-ea"')?.major).toBe(22);
    expect(parseJavaVersion("bash: java: not found")).toBeNull();
  });

  it("parses java.home from -XshowSettings:properties", () => {
    expect(parseJavaHome("    java.class.version = 61.0\n    java.home = /usr/lib/jvm/java-17-openjdk-amd64\n")).toBe("/usr/lib/jvm/java-17-openjdk-amd64");
    expect(parseJavaHome("nothing")).toBeNull();
  });
});

describe("apt and checksums", () => {
  it("reads the candidate from apt-cache policy", () => {
    const out = "openjdk-17-jre-headless:\n  Installed: (none)\n  Candidate: 17.0.15+6-1~deb12u1\n  Version table:\n";
    expect(parseAptPolicyCandidate(out)).toBe("17.0.15+6-1~deb12u1");
    expect(parseAptPolicyCandidate("foo:\n  Installed: (none)\n  Candidate: (none)\n")).toBeNull();
    expect(parseAptPolicyCandidate("")).toBeNull();
  });

  it("parses .sha512 files with or without a file name", () => {
    const hex = "ab".repeat(64);
    expect(parseSha512File(`${hex}\n`)).toBe(hex);
    expect(parseSha512File(`${hex.toUpperCase()}  elasticsearch-8.19.21.zip\n`)).toBe(hex);
    expect(() => parseSha512File("<html>not found</html>")).toThrow(/SHA-512/);
  });
});

describe("paths and state", () => {
  it("finds the repo root and derives the data and cache dirs", () => {
    const root = findRepoRoot();
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name).toBe("tidings");
    const p = servicePaths({ HOME: "/home/u" }, false);
    expect(p.dataDir).toBe(join(root, ".tidings"));
    expect(p.cacheDir).toBe("/home/u/.cache/tidings");
    expect(p.esInstallDir).toBe("/home/u/.cache/tidings");
    expect(p.stateFile).toBe(join(root, ".tidings", "services.json"));
    // as root the ES user cannot read /root, so the install goes elsewhere
    expect(servicePaths({ HOME: "/root" }, true).esInstallDir).toBe("/var/cache/tidings");
    const custom = servicePaths({ TIDINGS_DATA_DIR: "/tmp/td", TIDINGS_CACHE_DIR: "/tmp/tc", TIDINGS_ES_INSTALL_DIR: "/opt/es" }, true);
    expect(custom).toMatchObject({ dataDir: "/tmp/td", cacheDir: "/tmp/tc", esInstallDir: "/opt/es", redisDir: "/tmp/td/redis", esDir: "/tmp/td/elasticsearch" });
  });

  it("checks that a recorded pid is still the program we started", () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(2 ** 22 + 1)).toBe(false);
    const rec = { pid: process.pid, url: "x", port: 1, startedAt: "", cmdlineMatch: "node" };
    expect(recordAlive(rec)).toBe(true);
    expect(recordAlive({ ...rec, cmdlineMatch: "redis-server-definitely-not-this" })).toBe(false);
    expect(recordAlive(undefined)).toBe(false);
  });

  it("formats status lines", () => {
    const line = formatStatusLine("redis", { url: "redis://:pw@127.0.0.1:6379", up: true, startedByUs: true, pid: 12, version: "7.0.15" });
    expect(line).toContain("redis://:***@127.0.0.1:6379");
    expect(line).toContain("started by tidings (pid 12)");
    expect(formatStatusLine("elasticsearch", { url: "http://x:9200", up: false, startedByUs: false, error: "ECONNREFUSED" })).toContain("DOWN");
  });
});

describe("verified download (from a throwaway loopback HTTP server)", () => {
  it("keeps a file whose SHA-512 matches and refuses one that does not", async () => {
    const body = Buffer.from("pretend this is elasticsearch.zip\n".repeat(1000));
    const good = createHash("sha512").update(body).digest("hex");
    const server = createServer((req, res) => {
      if (req.url === "/a.zip" || req.url === "/b.zip") return res.end(body);
      if (req.url === "/a.zip.sha512") return res.end(`${good}  a.zip\n`);
      if (req.url === "/b.zip.sha512") return res.end(`${"0".repeat(128)}  b.zip\n`);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), "tidings-dl-"));
    const logs: string[] = [];
    try {
      await downloadVerified(`${base}/a.zip`, `${base}/a.zip.sha512`, join(dir, "a.zip"), (m) => logs.push(m));
      expect(readFileSync(join(dir, "a.zip")).equals(body)).toBe(true);
      // second call: already there and verified, no new download
      const before = logs.length;
      await downloadVerified(`${base}/a.zip`, `${base}/a.zip.sha512`, join(dir, "a.zip"), (m) => logs.push(m));
      expect(logs.length).toBe(before);

      await expect(downloadVerified(`${base}/b.zip`, `${base}/b.zip.sha512`, join(dir, "b.zip"), () => {})).rejects.toThrow(/SHA-512 mismatch/);
      expect(existsSync(join(dir, "b.zip"))).toBe(false);
      expect(readdirSync(dir).some((f) => f.includes(".part-"))).toBe(false);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
