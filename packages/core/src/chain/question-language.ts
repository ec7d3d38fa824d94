/**
 * The language of a question, among the seven the website speaks, so an answer composed without a
 * language model frames its quotes in the asker's language. Japanese and Chinese are told apart by
 * their scripts (kana is Japanese only); the Latin-script languages by their most frequent short
 * words, which even a five-word question carries. English when nothing decides.
 */
export type QuestionLanguage = "en" | "es" | "fr" | "de" | "ja" | "pt" | "zh";

const words = (list: string) => list.split(" ");

// Words frequent in questions of one language and rare in the others' (no word is in two lists:
// German "das" and Portuguese "das" are left out).
export const FUNCTION_WORDS: Record<
  "en" | "es" | "fr" | "de" | "pt",
  readonly string[]
> = {
  en: words(
    "the what did does how about which who when why is of and say said to in on",
  ),
  es: words(
    "qué el los las del dijo sobre cómo cuál quién cuándo por es fue y la una hay",
  ),
  fr: words(
    "quoi le les des du est qu'a qu'est dit sur comment quel quelle qui pourquoi et une au",
  ),
  de: words(
    "was der die den dem hat ist über wie welche wer wann warum und sagte zur zum ein eine",
  ),
  pt: words(
    "o os do da dos disse como qual quem quando porque não é foi uma em",
  ),
};

const KANA = /[\u3040-\u30ff]/;
const HAN = /[\u4e00-\u9fff]/;

export function questionLanguage(question: string): QuestionLanguage {
  if (KANA.test(question)) return "ja";
  if (HAN.test(question)) return "zh";
  const found = question.toLocaleLowerCase().match(/[\p{L}']+/gu) ?? [];
  let best: QuestionLanguage = "en";
  let bestHits = 0;
  for (const [language, list] of Object.entries(FUNCTION_WORDS)) {
    const hits = found.filter((w) => list.includes(w)).length;
    if (hits > bestHits)
      [best, bestHits] = [language as QuestionLanguage, hits];
  }
  return best;
}

/** What an answer composed without a language model says in its own words, by language. */
export const FRAMING: Record<
  QuestionLanguage,
  { readonly notice: string; readonly nothingFound: string }
> = {
  en: {
    notice:
      "Extractive answer (no language model is configured): the most relevant passages, quoted.",
    nothingFound: "I found nothing in the documents about this.",
  },
  es: {
    notice:
      "Respuesta extractiva (no hay ningún modelo de lenguaje configurado): los pasajes más pertinentes, citados.",
    nothingFound: "No encontré nada sobre esto en los documentos.",
  },
  fr: {
    notice:
      "Réponse extractive (aucun modèle de langage n'est configuré) : les passages les plus pertinents, cités.",
    nothingFound: "Je n'ai rien trouvé à ce sujet dans les documents.",
  },
  de: {
    notice:
      "Extraktive Antwort (kein Sprachmodell konfiguriert): die relevantesten Passagen, zitiert.",
    nothingFound: "Ich habe in den Dokumenten nichts dazu gefunden.",
  },
  ja: {
    notice:
      "抽出型の回答（言語モデルは設定されていません）: 最も関連性の高い文章の引用です。",
    nothingFound: "ドキュメントにはこれに関する記述が見つかりませんでした。",
  },
  pt: {
    notice:
      "Resposta extrativa (nenhum modelo de linguagem está configurado): os trechos mais relevantes, citados.",
    nothingFound: "Não encontrei nada sobre isso nos documentos.",
  },
  zh: {
    notice: "抽取式回答（未配置语言模型）：引用最相关的段落。",
    nothingFound: "我在文档中没有找到与此相关的内容。",
  },
};
