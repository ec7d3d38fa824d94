import SideNavigation, {
  type SideNavigationProps,
} from "@cloudscape-design/components/side-navigation";
import { useLocation, useNavigate } from "react-router-dom";

/** The side navigation items; "Administration" only for administrators. */
export function navigationItems(
  isAdministrator: boolean,
): SideNavigationProps.Item[] {
  const items: SideNavigationProps.Item[] = [
    { type: "link", text: "Chat", href: "/" },
  ];
  if (isAdministrator)
    items.push({ type: "link", text: "Administration", href: "/admin" });
  return items;
}

/** Side navigation that routes in-app without a page load. */
export function Navigation({ isAdministrator }: { isAdministrator: boolean }) {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <SideNavigation
      header={{ text: "Sextant", href: "/" }}
      activeHref={location.pathname}
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
