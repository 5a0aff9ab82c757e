//! What a text given to the store may ask of its parsers: how deep it nests, how long a SPARQL
//! text is, how large its algebra, how many terms a JSON-LD context defines, how far RDF/XML
//! entities expand. Parsers recurse per level of nesting (spargebra's, the JSON-LD processor's)
//! and expand entities without bound (RDF/XML), so a text past these limits is refused, with the
//! limit's name and, where there is one, the position, before it can exhaust a stack or memory.

/// The limits on input texts (`--max-nesting` and its siblings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimits {
    /// Deepest nesting of brackets, groups and parentheses (SPARQL, Turtle, TriG), of objects
    /// and arrays (JSON-LD), of elements (RDF/XML).
    pub nesting: usize,
    /// Longest SPARQL query or update, in bytes.
    pub sparql_length: usize,
    /// Most triple patterns, path steps and operators in a SPARQL text's algebra.
    pub sparql_complexity: usize,
    /// Most keys in a JSON-LD document's `@context` objects (term definitions and theirs).
    pub jsonld_terms: usize,
    /// Most bytes RDF/XML entity references may expand to, declarations and uses together.
    pub entity_expansion: usize,
}

impl InputLimits {
    pub const DEFAULT: Self = Self {
        nesting: 256,
        sparql_length: 256 * 1024,
        sparql_complexity: 2000,
        jsonld_terms: 10_000,
        entity_expansion: 16 * 1024 * 1024,
    };

    pub(super) fn max(&self, limit: InputLimit) -> usize {
        match limit {
            InputLimit::Nesting => self.nesting,
            InputLimit::SparqlLength => self.sparql_length,
            InputLimit::SparqlComplexity => self.sparql_complexity,
            InputLimit::JsonLdTerms => self.jsonld_terms,
            InputLimit::EntityExpansion => self.entity_expansion,
        }
    }
}

impl Default for InputLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One of the [`InputLimits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputLimit {
    Nesting,
    SparqlLength,
    SparqlComplexity,
    JsonLdTerms,
    EntityExpansion,
}

impl InputLimit {
    /// The command-line option that sets it (also `GOVGRAPH_` and the name in capitals).
    pub fn option(self) -> &'static str {
        match self {
            InputLimit::Nesting => "--max-nesting",
            InputLimit::SparqlLength => "--max-sparql-length",
            InputLimit::SparqlComplexity => "--max-sparql-complexity",
            InputLimit::JsonLdTerms => "--max-jsonld-terms",
            InputLimit::EntityExpansion => "--max-entity-expansion",
        }
    }

    /// What going past it means, for a message: "nested deeper than 256 levels".
    pub fn passed(self, max: usize) -> String {
        match self {
            InputLimit::Nesting => format!("nested deeper than {max} levels"),
            InputLimit::SparqlLength => format!("the SPARQL text is longer than {max} bytes"),
            InputLimit::SparqlComplexity => {
                format!("the SPARQL text has more than {max} triple patterns, path steps and operators")
            }
            InputLimit::JsonLdTerms => format!("the JSON-LD @context objects hold more than {max} keys"),
            InputLimit::EntityExpansion => format!("RDF/XML entities expand to more than {max} bytes"),
        }
    }
}

/// Where a scan found a limit passed: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: InputLimit,
    pub line: u64,
    pub column: u64,
}

/// Counts lines and columns (in characters) over bytes, as scans go.
#[derive(Clone, Copy, Debug)]
pub(super) struct Position {
    line: u64,
    column: u64,
}

impl Default for Position {
    fn default() -> Self {
        Self { line: 1, column: 0 }
    }
}

impl Position {
    pub(super) fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line += 1;
            self.column = 0;
        } else if byte & 0xC0 != 0x80 {
            // A UTF-8 continuation byte belongs to the character already counted.
            self.column += 1;
        }
    }

    pub(super) fn exceeded(self, limit: InputLimit) -> Exceeded {
        Exceeded {
            limit,
            line: self.line,
            column: self.column.max(1),
        }
    }

    /// The position of `offset` in `bytes`.
    pub(super) fn of(bytes: &[u8], offset: usize) -> Self {
        let mut position = Self::default();
        for byte in &bytes[..offset.min(bytes.len())] {
            position.advance(*byte);
        }
        position.column += 1;
        position
    }
}
