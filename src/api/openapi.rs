//! `GET /api/v1/openapi.json`: the API described for clients and checked against the router.

use serde_json::{Value, json};

fn error_responses(codes: &[(&str, &str)]) -> Value {
    let mut out = serde_json::Map::new();
    for (status, description) in codes {
        out.insert(
            status.to_string(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    Value::Object(out)
}

fn merge(a: Value, b: Value) -> Value {
    let mut a = a.as_object().cloned().unwrap_or_default();
    a.extend(b.as_object().cloned().unwrap_or_default());
    Value::Object(a)
}

/// The OpenAPI 3.1 document.
pub fn openapi() -> Value {
    let facet = |name: &str, about: &str| {
        json!({"name": name, "in": "query", "required": false, "description": about,
               "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true})
    };
    let auth_errors = [
        ("401", "no key or an unknown key"),
        ("403", "the key's role is too low"),
        ("429", "rate limited"),
    ];
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{1,64}$"}});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "cairn", "version": "v1",
                 "description": "Search anonymised child-protection case reviews by theme, risk factor, age and year."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                    "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
            }
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/search": {"get": {
                "summary": "Search reviews; facet counts are multi-select",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 1000}},
                    facet("theme", "theme / type of harm"), facet("risk", "risk factor"), facet("age", "age band"),
                    facet("type", "review type"), facet("outcome", "outcome"), facet("nation", "nation"),
                    facet("language", "language present"), facet("practice", "practice theme"),
                    {"name": "year_from", "in": "query", "schema": {"type": "integer"}},
                    {"name": "year_to", "in": "query", "schema": {"type": "integer"}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "year_desc", "year_asc"]}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "passages", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10}}
                ],
                "responses": merge(json!({"200": {"description": "hits, passages and facet counts"}}),
                    error_responses(&[("400", "bad query or unknown facet value"), ("413", "query string too long")]).as_object().cloned().map(Value::Object).unwrap_or_default())
            }},
            "/api/v1/facets": {"get": {"summary": "The taxonomy with counts over the corpus, and each value's measured accuracy",
                "responses": {"200": {"description": "facet groups: value, label, count and, where measured, accuracy {precision, recall, assigned, labelled, precision_interval, recall_interval, readers_agree, measured_on} and estimated {reviews, interval}: count × precision / recall, the reviews of the collection likely carrying the value"}}}},
            "/api/v1/stats": {"get": {"summary": "Counts over the corpus",
                "responses": {"200": {"description": "reviews, pages, words, by_year"}}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
            "/api/v1/reviews": {"post": {
                "summary": "Upload a review (curator); runs the ingest pipeline; a refused file changes nothing",
                "parameters": [
                    {"name": "Content-Disposition", "in": "header", "schema": {"type": "string"}, "description": "attachment; filename=\"…\""},
                    {"name": "X-Cairn-Meta", "in": "header", "schema": {"type": "string"}, "description": "JSON facet overrides"}
                ],
                "requestBody": {"required": true, "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": merge(json!({"201": {"description": "the review's metadata"}}), error_responses(&[
                    ("400", "bad metadata header"), ("413", "file too large"), ("415", "not a PDF or DOCX"),
                    ("422", "unreadable file, or personal data found (code personal_data_found)")]).as_object().cloned().map(Value::Object).unwrap_or_default())
            }},
            "/api/v1/reviews/{id}": {
                "get": {"summary": "One review's metadata and evidence", "parameters": [id.clone()],
                        "responses": merge(json!({"200": {"description": "metadata, evidence and files; for curators and admins also personal_data and suggested (themes and risk factors affirmed too seldom to tag, with passages)"}}), error_responses(&[("404", "unknown id")]))},
                "delete": {"summary": "Delete a review (admin)", "parameters": [id.clone()],
                        "responses": merge(json!({"204": {"description": "deleted"}}), error_responses(&[("404", "unknown id")]))}
            },
            "/api/v1/reviews/{id}/text": {"get": {"summary": "The extracted text, pages separated by form feeds",
                "parameters": [id.clone()], "responses": merge(json!({"200": {"description": "text/plain"}}), error_responses(&[("404", "unknown id")]))}},
            "/api/v1/reviews/{id}/brief": {"get": {"summary": "A learning brief: the review's own summary, findings and recommendations with pages, and a citation",
                "parameters": [id.clone(), {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "markdown"]}}],
                "responses": merge(json!({"200": {"description": "JSON, or text/markdown"}}), error_responses(&[("404", "unknown id")]))}},
            "/api/v1/reviews/{id}/similar": {"get": {"summary": "Reviews most like this one",
                "parameters": [id.clone()],
                "responses": merge(json!({"200": {"description": "{\"hits\": [...]}"}}), error_responses(&[("404", "unknown id")]))}},
            "/api/v1/reviews/{id}/facets": {"put": {"summary": "Override facets (curator); recorded with who and when; survives re-ingest and re-index",
                "parameters": [id.clone()],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": merge(json!({"200": {"description": "the review's metadata"}}), error_responses(&[("400", "unknown field or value"), ("404", "unknown id")]))}},
            "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": {"description": "ok"}}}},
            "/readyz": {"get": {"summary": "Readiness", "security": [], "responses": {"200": {"description": "ready"}}}},
            "/": {"get": {"summary": "The search page", "security": [], "responses": {"200": {"description": "HTML"}}}}
        },
        "x-auth-errors": error_responses(&auth_errors)
    })
}
