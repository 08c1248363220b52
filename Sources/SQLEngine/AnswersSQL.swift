import Analytics
import EventStore

/// The answers figures in Spark SQL (docs/DEFINITIONS.md, "Answers", "Question funnel", "Profile depth", "NPS";
/// docs/SCALE.md, "The answers in SQL"): the customers' answers captured as the embedded reader captures
/// them (`EventLineParser.capture`, `AnswerReader`, `PlainAnswerFields`), materialised once as `es_answers` (one row
/// per answer of the responses that count), and the results read from it.
///
/// - **Capture.** Every key of a capture parent (`properties` for `$survey_response*`, and the parent of each configured
///   `feedback.answer_fields` path other than the built-in ones) that a capture rule takes: a scalar is one answer
///   (`null` none, an empty text one), a list one answer per scalar element, a list's object one answer per value named
///   by its non-empty string `id` (SatisMeter), an object none.
/// - **The repeated key.** The VARIANT keeps a repeated key's last value; the embedded reader captures every
///   occurrence. So the answers are read from the response's line text as Spark's JSON reader re-writes it
///   (`get_json_object(line, '$')`: keys unescaped, duplicates kept, compact): every captured key is renamed to
///   `"<n>\u0001KEY"` (n its place in the text) before the text is parsed again — then every occurrence is a key of its
///   own, in document order. A captured key is found in that text only where a key can start (after `{` or `,`, which
///   inside a string would be followed by an escaped quote). Lone surrogate escapes become U+FFFD first, as earshot
///   decodes them.
/// - **Naming.** A response with any `$survey_response_<id>` answer is read from those only; index keys
///   (`$survey_response`, `$survey_response_<up to 4 digits>`) are named by the catalog's N-th question id, else `#N`;
///   other captured keys (and SatisMeter ids) name themselves. A response of a catalog survey without captured answers
///   answers it through the built-in score and text fields.
///
/// The questions, funnels and free text are computed by earshot from rows (``EngineReport``, with the embedded
/// accumulators): the SQL returns each answer of the responses in scope (person, survey, question, typed value) and
/// the free texts grouped by (person, text). Profile depth and the catalog's NPS are integer counts.
extension SparkSQLCompiler {
    /// The capture rules as (parent path, key, is a prefix), as `FieldTrie` builds them from the field selection.
    var captureRules: [(parent: String, key: String, prefix: Bool)] {
        let patterns = FieldSelection.metrics.captures.union(options.feedback.fieldSelection.captures).sorted()
        return patterns.compactMap { pattern in
            let prefix = pattern.hasSuffix("*")
            let body = prefix ? String(pattern.dropLast()) : pattern
            guard let dot = body.lastIndex(of: "."), dot != body.startIndex else { return nil }
            return (String(body[..<dot]), String(body[body.index(after: dot)...]), prefix)
        }
    }

    /// The answer columns of `es_rec`: `fb_ans` (a response's captured answers in document order, before naming),
    /// `fb_pscore` / `fb_ptext` (the built-in score and text a catalog survey's response without captured answers
    /// answers with) and `ft` (the event's free text, docs/DEFINITIONS.md "Free text", FreeTextMetrics).
    var answerColumns: [(name: String, sql: String)] {
        let schema = options.feedback
        func list(_ names: [String]) -> String { names.map { Self.literal($0) }.joined(separator: ", ") }
        let isResponse = "type_text = 'track' AND event_text IN (\(schema.answerEvents.isEmpty ? "NULL" : list(schema.answerEvents)))"
            + (schema.promptEvents.isEmpty ? "" : " AND NOT event_text IN (\(list(schema.promptEvents)))")
        // The plain score: the first non-captured score field present and not null; the plain text: the first built-in
        // answer field holding a text that is neither blank nor a number.
        let captured = schema.fieldSelection.captures
        let scoreFields = schema.scoreFields.filter { !captured.contains($0) }
        let pscore = scoreFields.isEmpty ? "CAST(NULL AS VARIANT)" : "CASE" + scoreFields.map { f in
            let x = "variant_get(v, \(Self.literal(SegmentSQL.jsonPath(f))))"
            return "\n  WHEN \(x) IS NOT NULL AND NOT is_variant_null(\(x)) THEN \(x)"
        }.joined() + " END"
        let textFields = schema.answerFields.filter { FeedbackSchema.defaultAnswerFields.contains($0) }
        let ptext = textFields.isEmpty ? "CAST(NULL AS STRING)" : "COALESCE(" + textFields.map { f in
            let s = Self.pathString("v", f)
            return "CASE WHEN NOT \(Self.isBlank(s)) AND NOT \(Self.isNumberText(s)) THEN \(s) END"
        }.joined(separator: ", ") + ")"
        return [
            ("fb_ans", "CASE WHEN \(isResponse) THEN \(capturedAnswers) END"),
            ("fb_pscore", "CASE WHEN \(isResponse) THEN \(pscore) END"),
            ("fb_ptext", "CASE WHEN \(isResponse) THEN \(ptext) END"),
            ("ft", freeText),
        ]
    }

    /// Whether the text `s` is blank: empty or only white space (Unicode, as Swift's `Character.isWhitespace`).
    static func isBlank(_ s: String) -> String { #"regexp_like(\#(s), '(?U)^\\s*\\z')"# }

    /// Whether the text `s`, trimmed of white space, is a number as Swift's `Double(_:)` reads one (decimal, hexadecimal,
    /// `inf`, `infinity`, `nan`), as `PlainAnswerFields` decides a score or a text.
    static func isNumberText(_ s: String) -> String {
        #"regexp_like(\#(s), '(?U)(?i)^\\s*[+-]?(?:(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:e[+-]?[0-9]+)?|0x(?:[0-9a-f]+[.]?[0-9a-f]*|[.][0-9a-f]+)(?:p[+-]?[0-9]+)?|inf|infinity|nan)\\s*\\z')"#
    }

    /// The typed empty list of captured answers.
    static let noAnswers = "CAST(array() AS array<struct<key: string, val: variant>>)"

    /// A response's captured answers, `array<struct<key, val>>` in document order (see the type's documentation).
    var capturedAnswers: String {
        let rules = captureRules
        guard !rules.isEmpty else { return Self.noAnswers }
        // The JSON-escaped key as Jackson writes it, quoted for the regular expression.
        func keyPattern(_ r: (parent: String, key: String, prefix: Bool)) -> String {
            let escaped = r.key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\\Q" + escaped.replacingOccurrences(of: "\\E", with: "\\E\\\\E\\Q") + "\\E" + (r.prefix ? #"(?:[^"\\]|\\.)*"# : "")
        }
        let alternatives = rules.map(keyPattern).joined(separator: "|")
        let split = "(?<=[{,])(?=\"(?:\(alternatives))\":)"
        let renamed = """
            try_parse_json(array_join(transform(split(get_json_object(regexp_replace(line, \(Self.loneSurrogate), '\\\\\\\\uFFFD'), '$'),
                                                      \(Self.literal(split))),
                (s, i) -> CASE WHEN i = 0 THEN s ELSE concat('"', CAST(i AS STRING), '\\\\u0001', substr(s, 2)) END), ''))
            """
        // Per parent: the renamed members whose key a rule of that parent takes, as (place, key, value).
        var parents: [String: [(key: String, prefix: Bool)]] = [:]
        for r in rules { parents[r.parent, default: []].append((r.key, r.prefix)) }
        let entryType = "array<struct<i: int, k: string, x: variant>>"
        let perParent = parents.keys.sorted().map { parent -> String in
            let takes = parents[parent]!.map { r in
                r.prefix ? "startswith(e.k, \(Self.literal(r.key)))" : "e.k = \(Self.literal(r.key))"
            }.joined(separator: " OR ")
            return """
                COALESCE(filter(transform(filter(map_entries(try_variant_get(rv, \(Self.literal(SegmentSQL.jsonPath(parent)))\
                , 'map<string,variant>')), e -> instr(e.key, '\\u0001') > 0),
                    e -> named_struct('i', try_cast(substring_index(e.key, '\\u0001', 1) AS INT),
                                      'k', substr(e.key, instr(e.key, '\\u0001') + 1), 'x', e.value)),
                  e -> e.i IS NOT NULL AND (\(takes))), CAST(array() AS \(entryType)))
                """
        }
        let entries = perParent.count == 1 ? perParent[0] : "concat(" + perParent.joined(separator: ",\n") + ")"
        let kind = { (x: String) in "schema_of_variant(\(x))" }
        let composite = { (x: String) in "(\(kind(x)) LIKE 'OBJECT%' OR \(kind(x)) LIKE 'ARRAY%' OR is_variant_null(\(x)))" }
        // A list's object: its `value` (a scalar, or a list's scalars) named by its non-empty string `id`.
        let itemValues = """
            CASE WHEN variant_get(y, '$.value') IS NULL OR is_variant_null(variant_get(y, '$.value'))
                      OR \(kind("variant_get(y, '$.value')")) LIKE 'OBJECT%' THEN CAST(array() AS array<variant>)
                 WHEN \(kind("variant_get(y, '$.value')")) LIKE 'ARRAY%'
                   THEN filter(try_variant_get(variant_get(y, '$.value'), '$', 'array<variant>'), z -> NOT \(composite("z")))
                 ELSE array(variant_get(y, '$.value')) END
            """
        let itemID = "CASE WHEN \(kind("variant_get(y, '$.id')")) = 'STRING' THEN variant_get(y, '$.id', 'string') END"
        let expand = """
            CASE WHEN \(kind("e.x")) LIKE 'ARRAY%' THEN flatten(transform(try_variant_get(e.x, '$', 'array<variant>'), y ->
                   CASE WHEN \(kind("y")) LIKE 'OBJECT%' THEN
                          CASE WHEN COALESCE(\(itemID), '') <> ''
                               THEN transform(\(itemValues), z -> named_struct('key', \(itemID), 'val', z))
                               ELSE \(Self.noAnswers) END
                        WHEN \(composite("y")) THEN \(Self.noAnswers)
                        ELSE array(named_struct('key', e.k, 'val', y)) END))
                 WHEN \(composite("e.x")) THEN \(Self.noAnswers)
                 ELSE array(named_struct('key', e.k, 'val', e.x)) END
            """
        return """
            transform(array(\(renamed)), rv -> flatten(transform(array_sort(\(entries),
                (a, b) -> CASE WHEN a.i < b.i THEN -1 WHEN a.i > b.i THEN 1 ELSE 0 END),
              e -> \(expand))))[0]
            """
    }

    /// The free text of an event (FreeTextMetrics): the first answer field holding a text, unless that text is an
    /// integer (spaces trimmed); else a customer chat message (`message_body`, else `message`) whose `sender` is not the
    /// shop's. Blank texts are dropped by earshot, which also measures and splits them.
    var freeText: String {
        let fields = options.feedback.answerFields
        var answer = "CASE"
        for f in fields {
            let s = Self.pathString("v", f)
            answer += #"""

                  WHEN \#(s) IS NOT NULL THEN CASE WHEN regexp_like(\#(s), '^ *[+-]?[0-9]+ *\\z')
                       AND try_cast(regexp_replace(\#(s), '^ +| +\\z', '') AS BIGINT) IS NOT NULL THEN NULL ELSE \#(s) END
                """#
        }
        answer += fields.isEmpty ? " WHEN FALSE THEN CAST(NULL AS STRING) END" : "\nEND"
        let chat = FreeTextMetrics.customerChatEvents.map { Self.literal($0) }.joined(separator: ", ")
        let shop = FreeTextMetrics.shopSenders.sorted().map { Self.literal($0) }.joined(separator: ", ")
        let message = "COALESCE(\(Self.pathString("v", "properties.message_body")), \(Self.pathString("v", "properties.message")))"
        return """
            COALESCE(\(answer),
              CASE WHEN CASE WHEN type_text = 'track' THEN event_text WHEN type_text IN ('page', 'screen') THEN name_text END IN (\(chat))
                        AND NOT COALESCE(lower(\(Self.pathString("v", "properties.sender"))) IN (\(shop)), FALSE)
                   THEN \(message) END)
            """
    }

    // MARK: The catalog, known when the SQL is written

    /// A map literal from survey id to a value (`NULL`-typed `type` when the catalog is empty).
    func catalogMap(_ type: String, _ value: (CatalogSurvey) -> String?) -> String {
        let pairs = options.feedback.catalog.surveys.sorted { $0.key < $1.key }.compactMap { id, s in
            value(s).map { Self.literal(id) + ", " + $0 }
        }
        return pairs.isEmpty ? "CAST(map() AS map<string, \(type)>)" : "map(" + pairs.joined(separator: ", ") + ")"
    }

    /// `try_element_at(map, survey)`.
    func perSurvey(_ type: String, _ survey: String, _ value: (CatalogSurvey) -> String?) -> String {
        "try_element_at(\(catalogMap(type, value)), \(survey))"
    }

    /// The question a catalog survey's plain score answers: its first `nps`, else its first `rating`, else its only
    /// question.
    static func scoreQuestion(_ s: CatalogSurvey) -> CatalogQuestion? {
        s.questions.first { $0.type == .nps }
            ?? s.questions.first { if case .rating = $0.type { return true } else { return false } }
            ?? (s.questions.count == 1 ? s.questions.first : nil)
    }

    /// The question a catalog survey's plain text answers: its first `open` question not answered by the score, else
    /// its only question when the score answered none.
    static func textQuestion(_ s: CatalogSurvey, scoreTaken: Bool) -> CatalogQuestion? {
        let taken = scoreTaken ? scoreQuestion(s)?.id : nil
        return s.questions.first { $0.type == .open && $0.id != taken }
            ?? (s.questions.count == 1 && !scoreTaken ? s.questions.first : nil)
    }

    /// Whether the answer `x` (a variant) is a number, or a text that is one.
    static func isNumberValue(_ x: String) -> String {
        """
        (schema_of_variant(\(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
         OR (schema_of_variant(\(x)) = 'STRING' AND \(isNumberText("variant_get(\(x), '$', 'string')"))))
        """
    }

    /// The 0–10 score of the answer `x` (a variant), as `SurveyFields.score(value:)`: an integral number 0…10, or a text
    /// of digits with white space around; else NULL.
    static func scoreOf(_ x: String) -> String {
        #"""
        CASE WHEN schema_of_variant(\#(x)) RLIKE '^(BIGINT|INT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL.*)$'
                  AND try_variant_get(\#(x), '$', 'double') BETWEEN CAST('0' AS DOUBLE) AND CAST('10' AS DOUBLE)
                  AND try_variant_get(\#(x), '$', 'double') = floor(try_variant_get(\#(x), '$', 'double'))
               THEN CAST(try_variant_get(\#(x), '$', 'double') AS INT)
             WHEN schema_of_variant(\#(x)) = 'STRING'
                  AND regexp_like(variant_get(\#(x), '$', 'string'), '(?U)^\\s*0*([0-9]|10)\\s*\\z')
               THEN CAST(regexp_extract(variant_get(\#(x), '$', 'string'), '(?U)^\\s*0*([0-9]+)', 1) AS INT) END
        """#
    }

    // MARK: Statements

    /// The answers table and its results (after the segment statements, whose members they read).
    func answerStatements() -> [SQLStatement] {
        let catalog = options.feedback.catalog
        let idList = { (ids: [String]) in ids.map { Self.literal($0) }.joined(separator: ", ") }
        let questionIDs = perSurvey("array<string>", "r.survey") { s in "array(" + idList(s.questions.map(\.id)) + ")" }
        let scoreQ = perSurvey("string", "r.survey") { Self.scoreQuestion($0).map { Self.literal($0.id) } }
        let textAfterScore = perSurvey("string", "r.survey") { Self.textQuestion($0, scoreTaken: true).map { Self.literal($0.id) } }
        let textAlone = perSurvey("string", "r.survey") { Self.textQuestion($0, scoreTaken: false).map { Self.literal($0.id) } }
        let inCatalog = catalog.surveys.isEmpty ? "FALSE" : "r.survey IN (\(idList(catalog.surveys.keys.sorted())))"
        let answerType = "array<struct<q: string, val: variant>>"
        var out: [SQLStatement] = [
            // One row per answer of the responses that count (es_fb: the latest of a submission, at or before now).
            cached("es_answers", #"""
                SELECT r.person, r.survey, r.time, r.file, r.block, r.rid, a.pos, a.s.q AS question, a.s.val AS val
                FROM (SELECT r.*,
                        CASE WHEN size(named) > 0 THEN named
                             WHEN \#(inCatalog) THEN concat(
                               CASE WHEN plain_score IS NOT NULL THEN array(named_struct('q', plain_score, 'val', r.fb_pscore))
                                    ELSE CAST(array() AS \#(answerType)) END,
                               CASE WHEN r.fb_ptext IS NOT NULL
                                         AND COALESCE(CASE WHEN plain_score IS NOT NULL THEN \#(textAfterScore) ELSE \#(textAlone) END, '') <> ''
                                    THEN array(named_struct('q', CASE WHEN plain_score IS NOT NULL THEN \#(textAfterScore) ELSE \#(textAlone) END,
                                                            'val', CAST(r.fb_ptext AS VARIANT)))
                                    ELSE CAST(array() AS \#(answerType)) END)
                             ELSE CAST(array() AS \#(answerType)) END AS answers
                      FROM (SELECT r.*,
                              filter(transform(classified, c -> named_struct('q', CASE
                                  WHEN c.c = 1 OR c.c = 3 THEN c.n
                                  WHEN c.c = 2 AND NOT exists(classified, d -> d.c = 1)
                                    THEN COALESCE(try_element_at(\#(questionIDs), CAST(c.n AS INT) + 1), concat('#', CAST(CAST(c.n AS INT) + 1 AS STRING)))
                                  END, 'val', c.val)), c -> c.q IS NOT NULL) AS named,
                              CASE WHEN r.fb_pscore IS NOT NULL AND \#(Self.isNumberValue("r.fb_pscore")) THEN \#(scoreQ) END AS plain_score
                            FROM (SELECT f.person, f.survey, f.time, f.file, f.block, f.rid, e.fb_pscore, e.fb_ptext,
                                    transform(COALESCE(e.fb_ans, \#(Self.noAnswers)), x -> named_struct(
                                      'c', CASE WHEN x.key = '$survey_response' THEN 2
                                                WHEN startswith(x.key, '$survey_response_') THEN
                                                  CASE WHEN x.key = '$survey_response_' THEN 0
                                                       WHEN regexp_like(x.key, '^[$]survey_response_[0-9]{1,4}\\z') THEN 2 ELSE 1 END
                                                WHEN startswith(x.key, '$survey_response') THEN 0 ELSE 3 END,
                                      'n', CASE WHEN x.key = '$survey_response' THEN '0'
                                                WHEN startswith(x.key, '$survey_response_') THEN substr(x.key, 18)
                                                ELSE x.key END,
                                      'val', x.val)) AS classified
                                  FROM es_fb f JOIN es_events e ON f.file = e.file AND f.block = e.block AND f.rid = e.rid
                                  WHERE f.role = 1) r) r) r
                LATERAL VIEW posexplode(answers) a AS pos, s
                """#),
            result("answer_rows", """
                SELECT person, survey, time, file, block, rid, pos, question,
                  CASE WHEN schema_of_variant(val) = 'STRING' THEN 's' WHEN schema_of_variant(val) = 'BOOLEAN' THEN 'b' ELSE 'n' END AS kind,
                  CASE WHEN schema_of_variant(val) = 'STRING' THEN variant_get(val, '$', 'string')
                       WHEN schema_of_variant(val) = 'BOOLEAN' THEN CAST(variant_get(val, '$', 'boolean') AS STRING)
                       ELSE CAST(try_variant_get(val, '$', 'double') AS STRING) END AS value
                FROM es_answers
                """),
            result("free_texts", """
                SELECT person, ft AS text, count(*) AS n FROM es_scope WHERE ft IS NOT NULL GROUP BY person, ft
                """),
            // Profile depth: per person in scope, the distinct (survey, question) pairs answered (a response without
            // answers answers its survey) and the first times of the first four, and whether they were prompted.
            cached("es_depth", """
                SELECT s.person, s.first, COALESCE(size(d.times), 0) AS depth, d.times, p.person IS NOT NULL AS prompted
                FROM (SELECT person, min(time) AS first FROM es_scope GROUP BY person) s
                LEFT JOIN (SELECT person, sort_array(collect_list(t)) AS times
                           FROM (SELECT person, min(time) AS t
                                 FROM (SELECT person, survey, question, time FROM es_answers
                                       UNION ALL
                                       SELECT f.person, f.survey, CAST(NULL AS STRING), f.time
                                       FROM es_fb f LEFT ANTI JOIN es_answers a ON f.file = a.file AND f.block = a.block AND f.rid = a.rid
                                       WHERE f.role = 1)
                                 GROUP BY person, survey, question)
                           GROUP BY person) d ON s.person = d.person
                LEFT JOIN (SELECT DISTINCT person FROM es_fb_prompts) p ON s.person = p.person
                """),
            result("depth_all", """
                SELECT least(depth, \(ProfileDepthMetrics.maxDepth)) AS depth, count(*) AS persons, count_if(prompted) AS prompted
                FROM es_depth GROUP BY 1
                """),
            result("depth_weekly", """
                SELECT k, week, count(*) AS persons
                FROM (SELECT 0 AS k, \(Self.week("first")) AS week FROM es_depth
                      UNION ALL
                      SELECT k0 + 1 AS k, \(Self.week("t")) AS week
                      FROM es_depth LATERAL VIEW posexplode(slice(times, 1, \(ProfileDepthMetrics.maxDepth))) x AS k0, t)
                GROUP BY k, week
                """),
        ]
        let funnels = catalog.surveys.filter { $0.value.questions.count >= 2 }.keys.sorted()
        if !funnels.isEmpty {
            out.append(result("answer_prompted", """
                SELECT DISTINCT person, survey FROM es_fb_prompts WHERE survey IN (\(idList(funnels)))
                """))
        }
        if !computesNPS {
            // The catalog's NPS: a response's score is its (last) answer to its survey's `nps` question when it answers
            // it, else its first score field; a catalog survey is NPS exactly when it has an `nps` question, another
            // survey by the declarations (docs/DEFINITIONS.md, "NPS").
            let npsQ = perSurvey("string", "survey") { s in s.questions.first { $0.type == .nps }.map { Self.literal($0.id) } }
            let npsSurveys = catalog.surveys.filter { $0.value.isNPS }.keys.sorted()
            let isNPS = """
                CASE WHEN survey IN (\(idList(catalog.surveys.keys.sorted()))) THEN \(npsSurveys.isEmpty ? "FALSE" : "survey IN (\(idList(npsSurveys)))")
                     ELSE COALESCE(decl, lp.decl, 1) = 1 END
                """
            let w = "\(options.window)L"
            out.append(cached("es_scored", """
                SELECT f.person, f.survey,
                  COALESCE(f.channel, CASE WHEN f.lp IS NOT NULL AND f.time - f.lp.time <= \(w) THEN f.lp.channel END, 'unknown') AS channel,
                  CASE WHEN a.answered THEN a.score ELSE f.score END AS score
                FROM (SELECT * FROM es_fb WHERE role = 1 AND \(isNPS)) f
                LEFT JOIN (SELECT file, block, rid, TRUE AS answered, max_by(\(Self.scoreOf("val")), pos) AS score
                           FROM es_answers WHERE question = \(npsQ) GROUP BY file, block, rid) a
                  ON f.file = a.file AND f.block = a.block AND f.rid = a.rid
                """))
            out.append(result("feedback_nps", """
                SELECT survey, channel, count_if(score >= 9) AS promoters, count_if(score BETWEEN 7 AND 8) AS passives,
                  count_if(score <= 6) AS detractors
                FROM es_scored WHERE score IS NOT NULL GROUP BY survey, channel
                """))
        }
        if program != nil, !compiledSegments.isEmpty {
            out.append(result("segment_depth", """
                SELECT m.segment, least(d.depth, \(ProfileDepthMetrics.maxDepth)) AS depth, count(*) AS persons,
                  count_if(d.prompted) AS prompted
                FROM es_depth d JOIN es_member_of m ON d.person = m.person GROUP BY 1, 2
                """))
            if !computesNPS {
                out.append(result("segment_nps", """
                    SELECT m.segment, count_if(f.score >= 9) AS promoters, count_if(f.score BETWEEN 7 AND 8) AS passives,
                      count_if(f.score <= 6) AS detractors
                    FROM es_scored f JOIN es_member_of m ON f.person = m.person
                    WHERE f.score IS NOT NULL GROUP BY m.segment
                    """))
            }
        }
        return out
    }
}
