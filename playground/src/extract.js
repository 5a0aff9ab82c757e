// Finds the entities and relations in any GraphQL result, whatever the query's shape.
//
// The rule (the same one the browser test uses to count):
// - a RELATION is any object with `source` and `target` (objects, or at least ids);
// - an ENTITY is any other object with `id`, `label` and `kind`, wherever it sits: in a list of
//   nodes, inside an edge's `node`, as a relation's endpoint, as a source's `documentEntity`...;
// - both are deduplicated by `id`; the fields of every copy of an entity are merged (a path's
//   `nodes` may carry dates while a relation's `source` only carries the label);
// - a relation is drawn only when both its endpoints are drawn entities.

// In GraphQL's spelling; a value in the formats' (`direct`) is compared in capitals.
const RELATION_KINDS = new Set(['DIRECT', 'INDIRECT']);

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function endpointId(end) {
  if (isObject(end)) return end.id == null ? null : String(end.id);
  if (typeof end === 'string' || typeof end === 'number') return String(end);
  return null;
}

export function isRelation(value) {
  return isObject(value) && 'source' in value && 'target' in value && value.source != null && value.target != null;
}

export function isEntity(value) {
  return (
    isObject(value) &&
    !isRelation(value) &&
    value.id != null &&
    typeof value.label === 'string' &&
    typeof value.kind === 'string' &&
    !RELATION_KINDS.has(value.kind.toUpperCase())
  );
}

function mergeEntity(into, from) {
  for (const [key, value] of Object.entries(from)) {
    if (value === undefined) continue;
    // Nested relation lists and endpoint objects are walked separately; keep plain fields only
    // and the entity's own `sources`.
    if (key === 'relations') continue;
    if (!(key in into) || into[key] == null) into[key] = value;
  }
  return into;
}

/**
 * @param {unknown} result a GraphQL response (`{ data, errors }`) or any JSON value
 * @returns {{ entities: object[], relations: object[], allRelations: number }}
 */
export function extractGraph(result) {
  const entities = new Map();
  const relations = new Map();
  const seen = new Set();

  const walk = (value) => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (isRelation(value)) {
      const source = endpointId(value.source);
      const target = endpointId(value.target);
      if (source !== null && target !== null) {
        const id = value.id != null ? String(value.id) : `${source}--${value.label ?? value.predicate ?? ''}--${target}`;
        const known = relations.get(id);
        if (known) {
          for (const [k, v] of Object.entries(value)) if (known[k] == null && v != null) known[k] = v;
        } else {
          relations.set(id, { ...value, id, sourceId: source, targetId: target });
        }
      }
    } else if (isEntity(value)) {
      const id = String(value.id);
      const known = entities.get(id);
      if (known) mergeEntity(known, value);
      else entities.set(id, mergeEntity({ id }, value));
    }
    for (const child of Object.values(value)) walk(child);
  };
  walk(result);

  const drawn = [...relations.values()].filter((r) => entities.has(r.sourceId) && entities.has(r.targetId));
  return { entities: [...entities.values()], relations: drawn, allRelations: relations.size };
}

/** Parses an ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD) into a fractional year, or null. */
export function fractionalYear(date) {
  if (typeof date !== 'string') return null;
  const m = /^(-?\d{1,6})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Math.min(Math.max(Number(m[2]), 1), 12) : 1;
  const day = m[3] ? Math.min(Math.max(Number(m[3]), 1), 31) : 1;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const at = Date.UTC(year, month - 1, day);
  return year + (at - start) / (end - start);
}

/** The date an entity is placed at on the timeline: its start, else its end. */
export function entityDate(entity) {
  return fractionalYear(entity.startDate) ?? fractionalYear(entity.endDate);
}
