/**
 * The RFCs' worked Digest examples, shared by the HTTP digest tests (gate/) and
 * the SIP digest tests (gb28181/), which compute with the same function.
 */

/** RFC 2617 §3.5: MD5 with qop=auth. */
export const RFC2617_EXAMPLE = {
  input: {
    algorithm: 'MD5' as const,
    username: 'Mufasa',
    realm: 'testrealm@host.com',
    password: 'Circle Of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: '0a4f113b',
  },
  opaque: '5ccc069c403ebaf9f0171e9517f40e41',
  response: '6629fae49393a05397450978507c4ef1',
};

/** RFC 7616 §3.9.1: the same request under MD5 and SHA-256. */
export const RFC7616_EXAMPLE = {
  input: {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  },
  md5: '8ca523f5e9506fed4657c9700eebdbec',
  sha256: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
};
