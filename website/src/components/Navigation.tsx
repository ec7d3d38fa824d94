import SideNavigation, {
  type SideNavigationProps,
} from "@cloudscape-design/components/side-navigation";
import { useLocation, useNavigate } from "react-router-dom";

/** The side navigation items; the administration section only for administrators. */
export function navigationItems(
  isAdministrator: boolean,
): SideNavigationProps.Item[] {
  const items: SideNavigationProps.Item[] = [
    { type: "link", text: "Chat", href: "/" },
  ];
  if (isAdministrator)
    items.push(
      { type: "divider" },
      {
        type: "section-group",
        title: "Administration",
        items: [
          { type: "link", text: "Documents", href: "/documents" },
          { type: "link", text: "Collections", href: "/admin/collections" },
          { type: "link", text: "Assistants", href: "/admin/assistants" },
          { type: "link", text: "Users", href: "/admin/users" },
          { type: "link", text: "Usage", href: "/admin/usage" },
          { type: "link", text: "Audit log", href: "/admin/audit-log" },
        ],
      },
    );
  return items;
}

/** Side navigation that routes in-app without a page load. */
export function Navigation({ isAdministrator }: { isAdministrator: boolean }) {
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.startsWith("/sessions/")
    ? "/"
    : location.pathname.startsWith("/admin/assistants/")
      ? "/admin/assistants"
      : location.pathname;
  return (
    <SideNavigation
      header={{ text: "Sextant", href: "/" }}
      activeHref={active}
      items={navigationItems(isAdministrator)}
      onFollow={(event) => {
        if (!event.detail.external) {
          event.preventDefault();
          navigate(event.detail.href);
        }
      }}
    />
  );
}
