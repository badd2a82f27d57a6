BASE=http://127.0.0.1:8000/v1
AUTH="Authorization: Bearer any-key"
JSON="Content-Type: application/json"

# a response, then one that continues it
FIRST=$(curl -s $BASE/responses -H "$AUTH" -H "$JSON" -d '{"model": "gpt-4o", "input": "Hello there"}')
echo "$FIRST" | jq -r '.status, .output[0].content[0].text'
curl -s $BASE/responses -H "$AUTH" -H "$JSON" \
  -d "{\"model\": \"gpt-4o\", \"input\": \"And again\", \"previous_response_id\": $(echo "$FIRST" | jq .id)}" \
  | jq -r .previous_response_id | cut -c1-5

# a conversation that keeps the items
CONVERSATION=$(curl -s $BASE/conversations -H "$AUTH" -H "$JSON" \
  -d '{"items": [{"type": "message", "role": "user", "content": "Hi"}]}' | jq -r .id)
curl -s $BASE/responses -H "$AUTH" -H "$JSON" \
  -d "{\"model\": \"gpt-4o\", \"input\": \"Hi again\", \"conversation\": \"$CONVERSATION\"}" > /dev/null
curl -s "$BASE/conversations/$CONVERSATION/items?order=asc" -H "$AUTH" | jq -c '[.data[].role]'

# a streamed response: its events, in order
curl -sN $BASE/responses -H "$AUTH" -H "$JSON" -d '{"model": "gpt-4o", "input": "Hi", "stream": true}' \
  | grep '^event:' | uniq | cut -d' ' -f2 | paste -sd' '
