import Alert from "@cloudscape-design/components/alert";
import { useEffect, useState } from "react";
import { toProblem, type ApiProblem } from "../lib/api-error";

/** Reads an API error once, for forms that show the message and each invalid field. */
export function useProblem(error: unknown): ApiProblem | undefined {
  const [problem, setProblem] = useState<ApiProblem>();
  useEffect(() => {
    let current = true;
    if (!error) setProblem(undefined);
    else void toProblem(error).then((p) => current && setProblem(p));
    return () => {
      current = false;
    };
  }, [error]);
  return problem;
}

/** A failed call's message and invalid fields as an error alert; nothing when there is no error. */
export function ProblemAlert({
  error,
  header,
}: {
  error: unknown;
  header?: string;
}) {
  const problem = useProblem(error);
  if (!problem) return null;
  return (
    <Alert type="error" header={header}>
      {problem.message}
      {problem.fields.length > 0 && (
        <ul>
          {problem.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> {f.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
