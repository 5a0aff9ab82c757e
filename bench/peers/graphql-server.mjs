// The reference a JavaScript user would write: graphql-js with graphql-http on node's http
// server, the same entities and relations held in memory, answering the same `entity` query as
// govgraph (a subset of its schema, same field names). See bench/compare.
//
//   node graphql-server.mjs ENTITIES.tsv RELATIONS.tsv PORT
//
// ENTITIES.tsv: id, label, kind, openness, startDate. RELATIONS.tsv: id, source, target,
// predicate, label, kind. Both tab-separated, no header.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { buildSchema } from "graphql";
import { createHandler } from "graphql-http/lib/use/http";

const [entitiesPath, relationsPath, port] = process.argv.slice(2);

const rows = (path) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => line.split("\t"));

const entities = new Map();
for (const [id, label, kind, openness, startDate] of rows(entitiesPath)) {
  entities.set(id, { id, label, kind, openness: openness || null, startDate: startDate || null, links: [] });
}
for (const [id, source, target, predicate, label, kind] of rows(relationsPath)) {
  const relation = { id, source, target, predicate, label, kind };
  entities.get(source)?.links.push(relation);
  entities.get(target)?.links.push(relation);
}

const schema = buildSchema(`
  enum EntityKind { ORGANIZATION MEETING DOCUMENT DISCUSSION_SPACE PERSON }
  enum Openness { OPEN CLOSED }
  enum RelationKind { DIRECT INDIRECT }
  type Entity {
    id: ID!
    label: String!
    kind: EntityKind!
    openness: Openness
    startDate: String
    degree: Int!
    relations: [Relation!]!
  }
  type Relation {
    id: ID!
    predicate: String!
    label: String!
    kind: RelationKind!
    source: Entity!
    target: Entity!
  }
  type Query { entity(ref: String!): Entity }
`);

const entity = (id) => {
  const found = entities.get(id);
  return (
    found && {
      ...found,
      degree: found.links.length,
      relations: () => found.links.map(relationValue),
    }
  );
};
const relationValue = (relation) => ({
  ...relation,
  source: () => entity(relation.source),
  target: () => entity(relation.target),
});

const handler = createHandler({ schema, rootValue: { entity: ({ ref }) => entity(ref) } });
createServer((request, response) => {
  if (request.url.startsWith("/graphql")) {
    handler(request, response);
  } else {
    response.writeHead(404).end();
  }
}).listen(Number(port), "127.0.0.1", () => console.log(`listening on 127.0.0.1:${port}`));
