// Generates the JSON bodies the benchmark serves: the shape of a typical paginated API
// answer (metadata, links, then an `items` array of records), deterministic for a given
// size so that runs compare like with like.

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Berners-Lee'];
const CITIES = ['London', 'Zürich', 'São Paulo', 'Kraków', 'Osaka', 'Nairobi', 'Montréal', 'Reykjavík'];
const ROLES = ['admin', 'editor', 'viewer', 'owner'];
const TAGS = ['alpha', 'beta', 'gamma', 'delta', 'staging', 'prod', 'eu', 'us', 'vip', 'legacy'];

/** A small linear congruential generator: the same sequence on every machine. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function record(id, next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  const first = pick(FIRST);
  const last = pick(LAST);
  return {
    id,
    uuid: `${id.toString(16).padStart(8, '0')}-${Math.floor(next() * 0xffff)
      .toString(16)
      .padStart(4, '0')}-4abc-9def-${Math.floor(next() * 2 ** 48)
      .toString(16)
      .padStart(12, '0')}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${id}@example.com`,
    active: next() < 0.8,
    role: pick(ROLES),
    score: Math.round(next() * 10000) / 100,
    balance: Math.round((next() - 0.3) * 1e6) / 100,
    createdAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 1.5e11)).toISOString(),
    lastLogin: next() < 0.1 ? null : new Date(Date.UTC(2024, 0, 1) + Math.floor(next() * 3e10)).toISOString(),
    tags: Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(TAGS)),
    address: {
      street: `${1 + Math.floor(next() * 300)} Main Street`,
      city: pick(CITIES),
      postcode: String(10000 + Math.floor(next() * 89999)),
      geo: { lat: Math.round((next() * 180 - 90) * 1e5) / 1e5, lng: Math.round((next() * 360 - 180) * 1e5) / 1e5 },
    },
    preferences: { newsletter: next() < 0.5, theme: next() < 0.5 ? 'dark' : 'light', language: pick(['en', 'de', 'fr', 'ja']) },
    bio:
      next() < 0.2 ? '<b>Hello</b> — I write "quoted" text & <script>alert(1)</script>' : `Member since ${2010 + Math.floor(next() * 14)}.`,
  };
}

/** Returns a JSON text of about `bytes` bytes (UTF-8): a root object with metadata and `items`. */
export function generateBody(bytes) {
  const next = random(bytes);
  const items = [];
  let length = 400;
  while (length < bytes) {
    const item = record(items.length + 1, next);
    length += Buffer.byteLength(JSON.stringify(item)) + 1;
    items.push(item);
  }
  return JSON.stringify({
    apiVersion: '2.4',
    generatedAt: '2025-01-01T00:00:00.000Z',
    page: { number: 1, size: items.length, total: items.length, hasMore: false },
    links: { self: '/data?page=1', next: null },
    filters: { active: null, roles: ROLES },
    items,
  });
}
