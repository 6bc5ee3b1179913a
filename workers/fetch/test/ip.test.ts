import { describe, expect, it } from "vitest";
import { classifyIp, ipInCidr, isIpLiteral, parseCidr, SsrfGuard } from "../src/index.ts";

describe("classifyIp", () => {
  it.each([
    // public
    ["8.8.8.8", null],
    ["1.1.1.1", null],
    ["93.184.216.34", null],
    ["172.32.0.1", null],
    ["2606:4700:4700::1111", null],
    ["2a00:1450:4001:80b::200e", null],
    ["::ffff:8.8.8.8", null],
    ["64:ff9b::808:808", null],
    // IPv4 non-public
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.1", "private"],
    ["100.64.0.1", "shared"],
    ["169.254.169.254", "link_local"],
    ["169.254.0.1", "link_local"],
    ["192.0.0.192", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    // IPv6 non-public
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:10.1.1.1", "private"],
    ["::127.0.0.1", "reserved"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["2002:7f00:1::", "loopback"],
    ["2002:a9fe:a9fe::1", "link_local"],
    ["fc00::1", "unique_local"],
    ["fd12:3456::1", "unique_local"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf::1", "link_local"],
    ["fec0::1", "site_local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2001::1", "reserved"],
    ["100::1", "reserved"],
    ["3fff::1", "reserved"],
    // not IPs
    ["localhost", "invalid"],
    ["127.0.0.1.example.com", "invalid"],
    ["256.0.0.1", "invalid"],
  ])("%s -> %s", (ip, cls) => {
    expect(classifyIp(ip)).toBe(cls);
  });

  it.each([
    ["127.0.0.1", true],
    ["[::1]", true],
    ["::ffff:1.2.3.4", true],
    ["example.com", false],
    ["2130706433", false],
  ])("isIpLiteral(%s) = %s", (h, expected) => {
    expect(isIpLiteral(h)).toBe(expected);
  });
});

describe("CIDRs", () => {
  it.each([
    ["10.1.2.3", "10.0.0.0/8", true],
    ["11.1.2.3", "10.0.0.0/8", false],
    ["127.0.0.1", "127.0.0.1", true],
    ["127.0.0.2", "127.0.0.1/32", false],
    ["1.2.3.4", "0.0.0.0/0", true],
    ["::1", "::1/128", true],
    ["fd00::5", "fd00::/8", true],
    ["fe80::5", "fd00::/8", false],
    ["::ffff:10.0.0.1", "10.0.0.0/8", true],
    ["10.0.0.1", "::ffff:0:0/96", true],
    ["2001:db8:1::1", "2001:db8::/33", true],
    ["2001:db8:8000::1", "2001:db8::/33", false],
  ])("%s in %s = %s", (ip, cidr, expected) => {
    expect(ipInCidr(ip, parseCidr(cidr))).toBe(expected);
  });

  it.each(["10.0.0.0/33", "::/129", "example.com/8", "10.0.0.0/x", ""])("parseCidr(%s) throws", (c) => {
    expect(() => parseCidr(c)).toThrow();
  });
});

describe("SsrfGuard", () => {
  const guard = new SsrfGuard({
    ssrf: { allowHosts: ["127.0.0.1:8080", "Intranet.Example", "[::1]:9000"], allowCidrs: ["10.20.0.0/16"] },
  });

  it.each([
    ["http://127.0.0.1:8080/x", true],
    ["http://127.0.0.1:8081/x", false],
    ["http://127.0.0.1/x", false],
    ["http://intranet.example/x", true],
    ["http://[::1]:9000/", true],
    ["http://[::1]:9001/", false],
    ["http://10.20.3.4/", true],
    ["http://10.21.3.4/", false],
    ["http://8.8.8.8/", true],
    ["http://2130706433/", false],
    ["http://0x7f000001/", false],
    ["http://0177.0.0.1:8081/", false],
    ["http://example.com/", true], // names are checked at connect time
  ])("checkUrl(%s) allowed=%s", (url, allowed) => {
    const run = (): void => guard.checkUrl(new URL(url));
    if (allowed) expect(run).not.toThrow();
    else expect(run).toThrow(/blocked_address/);
  });

  it("resolveChecked pins the first checked address and refuses private ones", async () => {
    const g = new SsrfGuard({
      ssrf: { allowHosts: [], allowCidrs: [] },
      resolver: async (h) =>
        h === "good.test"
          ? [
              { address: "93.184.216.34", family: 4 },
              { address: "2606:2800:220:1::1", family: 6 },
            ]
          : [{ address: "169.254.169.254", family: 4 }],
    });
    await expect(g.resolveChecked("good.test", 80, 1000)).resolves.toEqual({ address: "93.184.216.34", family: 4 });
    await expect(g.resolveChecked("evil.test", 80, 1000)).rejects.toMatchObject({ reason: "blocked_address", permanent: true });
    await expect(g.resolveChecked("::1", 80, 1000)).rejects.toMatchObject({ reason: "blocked_address" });
  });
});
