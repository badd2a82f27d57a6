BASE=http://127.0.0.1:8000/v1
AUTH="Authorization: Bearer any-key"
BETA="OpenAI-Beta: assistants=v2"
JSON="Content-Type: application/json"

ASSISTANT=$(curl -s $BASE/assistants -H "$AUTH" -H "$BETA" -H "$JSON" \
  -d '{"model": "gpt-4o", "name": "Math Tutor", "tools": [{"type": "code_interpreter"}]}' | jq -r .id)
THREAD=$(curl -s $BASE/threads -H "$AUTH" -H "$BETA" -H "$JSON" \
  -d '{"messages": [{"role": "user", "content": "Solve 3x + 11 = 14"}]}' | jq -r .id)
RUN=$(curl -s $BASE/threads/$THREAD/runs -H "$AUTH" -H "$BETA" -H "$JSON" \
  -d "{\"assistant_id\": \"$ASSISTANT\"}" | jq -r .id)
curl -s $BASE/threads/$THREAD/runs/$RUN -H "$AUTH" -H "$BETA" | jq -r .status  # completed
curl -s $BASE/threads/$THREAD/messages -H "$AUTH" -H "$BETA" | jq -r '.data[0].content[0].text.value'  # Result: x = 1

printf '# Notes\nhello\n' > notes.md
FILE=$(curl -s $BASE/files -H "$AUTH" -F purpose=assistants -F file=@notes.md | jq -r .id)
curl -s $BASE/vector_stores -H "$AUTH" -H "$BETA" -H "$JSON" \
  -d "{\"name\": \"docs\", \"file_ids\": [\"$FILE\"]}" | jq -c .file_counts  # {"in_progress":0,"completed":1,...}
