import type { IncomingMessage } from "node:http";
import { pickLanguage, type UiLanguage } from "@sextant/core/languages";

/** The languages of the local sign-in pages: the website's. */
export type SignInLanguage = UiLanguage;

/** What the local sign-in pages say, in one language. */
export interface SignInMessages {
  readonly signInTo: (name: string) => string;
  readonly username: string;
  readonly password: string;
  readonly signIn: string;
  readonly signInWith: (provider: string) => string;
  readonly wrongPassword: string;
  readonly issuerNote: string;
  readonly directoryNote: string;
  readonly error: string;
  readonly unsupported: string;
  readonly suffix: string;
  readonly expired: string;
  readonly signOut: string;
  readonly signOutOf: (name: string) => string;
}

export const SIGN_IN_MESSAGES: Record<SignInLanguage, SignInMessages> = {
  en: {
    signInTo: (name) => `Sign in to ${name}`,
    username: "Username",
    password: "Password",
    signIn: "Sign in",
    signInWith: (provider) => `Sign in with ${provider}`,
    wrongPassword: "Wrong username or password.",
    issuerNote:
      "Local demo issuer. The demo users and their passwords are in .sextant/local.json.",
    directoryNote:
      "Example Corp's directory: npm start's stand-in for an organisation's identity provider. Its people and their passwords are in .sextant/local.json.",
    error: "Sign-in error",
    unsupported: "This sign-in step is not supported by the local issuer.",
    suffix: "Sextant local sign-in",
    expired: "This sign-in expired: start again.",
    signOut: "Sign out",
    signOutOf: (name) => `Sign out of ${name}`,
  },
  es: {
    signInTo: (name) => `Iniciar sesión en ${name}`,
    username: "Nombre de usuario",
    password: "Contraseña",
    signIn: "Iniciar sesión",
    signInWith: (provider) => `Iniciar sesión con ${provider}`,
    wrongPassword: "Nombre de usuario o contraseña incorrectos.",
    issuerNote:
      "Emisor de demostración local. Los usuarios de demostración y sus contraseñas están en .sextant/local.json.",
    directoryNote:
      "Directorio de Example Corp: el sustituto de npm start para el proveedor de identidad de una organización. Sus personas y contraseñas están en .sextant/local.json.",
    error: "Error de inicio de sesión",
    unsupported: "El emisor local no admite este paso de inicio de sesión.",
    suffix: "inicio de sesión local de Sextant",
    expired: "Este inicio de sesión caducó: vuelva a empezar.",
    signOut: "Cerrar sesión",
    signOutOf: (name) => `Cerrar sesión en ${name}`,
  },
  fr: {
    signInTo: (name) => `Se connecter à ${name}`,
    username: "Nom d'utilisateur",
    password: "Mot de passe",
    signIn: "Se connecter",
    signInWith: (provider) => `Se connecter avec ${provider}`,
    wrongPassword: "Nom d'utilisateur ou mot de passe incorrect.",
    issuerNote:
      "Émetteur de démonstration local. Les utilisateurs de démonstration et leurs mots de passe sont dans .sextant/local.json.",
    directoryNote:
      "Annuaire d'Example Corp : le substitut de npm start au fournisseur d'identité d'une organisation. Ses personnes et leurs mots de passe sont dans .sextant/local.json.",
    error: "Erreur de connexion",
    unsupported:
      "L'émetteur local ne prend pas en charge cette étape de connexion.",
    suffix: "connexion locale Sextant",
    expired: "Cette connexion a expiré : recommencez.",
    signOut: "Se déconnecter",
    signOutOf: (name) => `Se déconnecter de ${name}`,
  },
  de: {
    signInTo: (name) => `Bei ${name} anmelden`,
    username: "Benutzername",
    password: "Passwort",
    signIn: "Anmelden",
    signInWith: (provider) => `Mit ${provider} anmelden`,
    wrongPassword: "Falscher Benutzername oder falsches Passwort.",
    issuerNote:
      "Lokaler Demo-Aussteller. Die Demo-Benutzer und ihre Passwörter stehen in .sextant/local.json.",
    directoryNote:
      "Verzeichnis von Example Corp: der Ersatz von npm start für den Identitätsanbieter einer Organisation. Seine Personen und ihre Passwörter stehen in .sextant/local.json.",
    error: "Anmeldefehler",
    unsupported:
      "Dieser Anmeldeschritt wird vom lokalen Aussteller nicht unterstützt.",
    suffix: "lokale Sextant-Anmeldung",
    expired: "Diese Anmeldung ist abgelaufen: Beginnen Sie neu.",
    signOut: "Abmelden",
    signOutOf: (name) => `Von ${name} abmelden`,
  },
  ja: {
    signInTo: (name) => `${name} にサインイン`,
    username: "ユーザー名",
    password: "パスワード",
    signIn: "サインイン",
    signInWith: (provider) => `${provider} でサインイン`,
    wrongPassword: "ユーザー名またはパスワードが違います。",
    issuerNote:
      "ローカルのデモ用発行者です。デモユーザーとパスワードは .sextant/local.json にあります。",
    directoryNote:
      "Example Corp のディレクトリ: 組織の ID プロバイダーの代わりとなる npm start のスタンドインです。ユーザーとパスワードは .sextant/local.json にあります。",
    error: "サインインエラー",
    unsupported:
      "このサインイン手順はローカルの発行者ではサポートされていません。",
    suffix: "Sextant ローカルサインイン",
    expired: "このサインインは期限切れです。最初からやり直してください。",
    signOut: "サインアウト",
    signOutOf: (name) => `${name} からサインアウト`,
  },
  "pt-BR": {
    signInTo: (name) => `Entrar no ${name}`,
    username: "Nome de usuário",
    password: "Senha",
    signIn: "Entrar",
    signInWith: (provider) => `Entrar com ${provider}`,
    wrongPassword: "Nome de usuário ou senha incorretos.",
    issuerNote:
      "Emissor de demonstração local. Os usuários de demonstração e suas senhas estão em .sextant/local.json.",
    directoryNote:
      "Diretório da Example Corp: o substituto do npm start para o provedor de identidade de uma organização. As pessoas e suas senhas estão em .sextant/local.json.",
    error: "Erro ao entrar",
    unsupported: "O emissor local não oferece suporte a esta etapa de entrada.",
    suffix: "entrada local do Sextant",
    expired: "Esta entrada expirou: comece de novo.",
    signOut: "Sair",
    signOutOf: (name) => `Sair do ${name}`,
  },
  "zh-CN": {
    signInTo: (name) => `登录 ${name}`,
    username: "用户名",
    password: "密码",
    signIn: "登录",
    signInWith: (provider) => `使用 ${provider} 登录`,
    wrongPassword: "用户名或密码错误。",
    issuerNote: "本地演示发行方。演示用户及其密码位于 .sextant/local.json。",
    directoryNote:
      "Example Corp 的目录：npm start 用来代替组织身份提供方的替身。其人员及密码位于 .sextant/local.json。",
    error: "登录错误",
    unsupported: "本地发行方不支持此登录步骤。",
    suffix: "Sextant 本地登录",
    expired: "此次登录已过期：请重新开始。",
    signOut: "退出登录",
    signOutOf: (name) => `退出 ${name}`,
  },
};

/**
 * The page's language from the browser's `Accept-Language`, by preference (q) then order, as the
 * website chooses it ({@link pickLanguage}).
 */
export function signInLanguage(
  req: Pick<IncomingMessage, "headers">,
): SignInLanguage {
  const tags = String(req.headers["accept-language"] ?? "")
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = Number(/q=([\d.]+)/.exec(params.join(";"))?.[1] ?? 1);
      return { tag: tag.toLowerCase(), q, i };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return pickLanguage(tags.map((t) => t.tag));
}
