package io.mailtrail.web;

/**
 * The OpenAPI 3.0 description of the activity endpoints, written by hand (no springdoc needed in
 * the application) and rendered for the configured base path. {@code OpenApiDocumentTest} checks
 * that it names exactly the endpoints the controller maps.
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static String render(String basePath, int maxLimit) {
        return TEMPLATE.replace("{base}", basePath).replace("{max}", Integer.toString(maxLimit));
    }

    private static final String TEMPLATE = """
            {
              "openapi": "3.0.3",
              "info": {"title": "Mailtrail activity API", "version": "1",
                "description": "The email activity log: timelines, recent activity, statistics and exports. Newest first. Paged by an opaque cursor: the next page's cursor is in the X-Next-Cursor header and the Link header (rel=next); none means last page. Errors are JSON {status, error, reason}."},
              "paths": {
                "{base}/{id}/activity": {"get": {"summary": "One email's timeline", "operationId": "timeline",
                  "parameters": [{"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/cursor"}],
                  "responses": {"200": {"$ref": "#/components/responses/events"}, "400": {"$ref": "#/components/responses/error"},
                    "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"},
                    "404": {"$ref": "#/components/responses/error"}}}},
                "{base}/{id}/activity/export": {"get": {"summary": "One email's whole timeline as CSV or JSON Lines", "operationId": "exportTimeline",
                  "parameters": [{"$ref": "#/components/parameters/id"}, {"$ref": "#/components/parameters/format"}],
                  "responses": {"200": {"$ref": "#/components/responses/export"}, "400": {"$ref": "#/components/responses/error"},
                    "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"},
                    "404": {"$ref": "#/components/responses/error"}}}},
                "{base}/activity/recent": {"get": {"summary": "Recent activity across all emails", "operationId": "recent",
                  "parameters": [{"$ref": "#/components/parameters/limit"}, {"$ref": "#/components/parameters/cursor"},
                    {"$ref": "#/components/parameters/event_type"}, {"$ref": "#/components/parameters/category"},
                    {"$ref": "#/components/parameters/user"}, {"$ref": "#/components/parameters/since"},
                    {"$ref": "#/components/parameters/until"}, {"$ref": "#/components/parameters/trace_id"}],
                  "responses": {"200": {"$ref": "#/components/responses/events"}, "400": {"$ref": "#/components/responses/error"},
                    "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"}}}},
                "{base}/activity/recent/export": {"get": {"summary": "Filtered recent activity as CSV or JSON Lines", "operationId": "exportRecent",
                  "parameters": [{"$ref": "#/components/parameters/format"}, {"$ref": "#/components/parameters/event_type"},
                    {"$ref": "#/components/parameters/category"}, {"$ref": "#/components/parameters/user"},
                    {"$ref": "#/components/parameters/since"}, {"$ref": "#/components/parameters/until"},
                    {"$ref": "#/components/parameters/trace_id"}],
                  "responses": {"200": {"$ref": "#/components/responses/export"}, "400": {"$ref": "#/components/responses/error"},
                    "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"}}}},
                "{base}/activity/stats": {"get": {"summary": "Count and last occurrence per event type and category", "operationId": "stats",
                  "responses": {"200": {"description": "Statistics, most frequent first", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Stat"}}}}},
                    "401": {"$ref": "#/components/responses/error"}, "403": {"$ref": "#/components/responses/error"}}}},
                "{base}/activity/openapi.json": {"get": {"summary": "This description", "operationId": "openApi",
                  "responses": {"200": {"description": "OpenAPI 3.0 document", "content": {"application/json": {}}}}}}
              },
              "components": {
                "parameters": {
                  "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}},
                  "limit": {"name": "limit", "in": "query", "description": "Page size; default 100 for a timeline, 50 for recent activity", "schema": {"type": "integer", "minimum": 1, "maximum": {max}}},
                  "cursor": {"name": "cursor", "in": "query", "description": "The previous page's X-Next-Cursor, unchanged", "schema": {"type": "string"}},
                  "format": {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"}},
                  "event_type": {"name": "event_type", "in": "query", "description": "A catalogue type or a custom type that has been logged", "schema": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,49}$"}},
                  "category": {"name": "category", "in": "query", "schema": {"type": "string", "enum": ["system", "user", "workflow", "rule", "integration"]}},
                  "user": {"name": "user", "in": "query", "description": "A user id, a users.username, or a name events were logged by (created_by)", "schema": {"type": "string"}},
                  "since": {"name": "since", "in": "query", "description": "Inclusive, ISO local date-time (server time)", "schema": {"type": "string", "example": "2025-12-15T10:30:00"}},
                  "until": {"name": "until", "in": "query", "description": "Exclusive, ISO local date-time (server time)", "schema": {"type": "string", "example": "2025-12-16T00:00:00"}},
                  "trace_id": {"name": "trace_id", "in": "query", "description": "The OpenTelemetry trace the events ran in", "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
                },
                "responses": {
                  "events": {"description": "Events, newest first",
                    "headers": {"X-Next-Cursor": {"schema": {"type": "string"}, "description": "Cursor of the next page; absent on the last page"},
                      "Link": {"schema": {"type": "string"}, "description": "<url>; rel=\\"next\\""}},
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}},
                  "export": {"description": "Streamed; CSV with a UTF-8 BOM and CRLF, formula-like cells prefixed with an apostrophe",
                    "content": {"text/csv": {}, "application/x-ndjson": {}}},
                  "error": {"description": "Refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                },
                "schemas": {
                  "Event": {"type": "object", "properties": {"id": {"type": "integer", "format": "int64"}, "email_id": {"type": "integer"},
                    "event_type": {"type": "string"}, "event_category": {"type": "string"}, "description": {"type": "string"},
                    "metadata": {"type": "object", "nullable": true, "description": "Exception messages and frames read [redacted] without the detail authority"},
                    "user_id": {"type": "integer", "nullable": true}, "user_name": {"type": "string", "nullable": true},
                    "created_at": {"type": "string", "example": "2025-12-15T10:30:00"}, "created_by": {"type": "string", "nullable": true},
                    "trace_id": {"type": "string", "nullable": true, "description": "OpenTelemetry trace id, 32 hex"},
                    "span_id": {"type": "string", "nullable": true, "description": "OpenTelemetry span id, 16 hex"},
                    "trace_url": {"type": "string", "nullable": true, "description": "The trace in the tracing backend (mailtrail.web.trace-url)"}}},
                  "Stat": {"type": "object", "properties": {"event_type": {"type": "string"}, "event_category": {"type": "string"},
                    "count": {"type": "integer", "format": "int64"}, "last_occurrence": {"type": "string"}}},
                  "Error": {"type": "object", "properties": {"status": {"type": "integer"}, "error": {"type": "string"}, "reason": {"type": "string"}}}
                }
              }
            }
            """;
}
